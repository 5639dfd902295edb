"""missionboard: freelance missions from many marketplaces, triaged in the terminal."""

__version__ = "0.1.0"
HOMEPAGE = "https://github.com/missionboard/missionboard"
USER_AGENT = f"missionboard/{__version__} (+{HOMEPAGE})"
