"""The source engine: recipes, the parsers they drive, and the ingest path shared by fetch and reparse."""

from missionboard.sources.fields import RecipeError
from missionboard.sources.parsers import ParseError
from missionboard.sources.recipe import Endpoint, Recipe, RecipeSet, load_recipes

__all__ = ["Endpoint", "ParseError", "Recipe", "RecipeError", "RecipeSet", "load_recipes"]
