"""Extract the raw fields of every mission in the recordings into ``raw.jsonl``.

This is the input half of the labelled set: what each site said, field by field, with no
interpretation (budgets stay text, remote fields stay as given, HTML becomes plain text with
paragraphs kept). The expected answers live in ``labels.jsonl``, written by hand; this script never
reads the normaliser. Run it from the repository root:

    .venv/bin/python tests/labelled/build_labelled.py

It reads ``tests/fixtures/<source>/`` (byte-for-byte copies of ``/work/shared/recordings``).
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from bs4 import BeautifulSoup

HERE = Path(__file__).resolve().parent
# Byte-for-byte copies of ../shared/recordings, one folder per source (shared with the recipe tests).
RECORDINGS = HERE.parent / "fixtures"
OUT = HERE / "raw.jsonl"


def text_of(fragment: str) -> str:
    """Plain text from an HTML fragment, one line per block, blank lines collapsed."""
    if not fragment:
        return ""
    if fragment.count("&lt;") > fragment.count("<"):
        fragment = html.unescape(fragment)  # Arbeitnow sends some descriptions escaped twice
    soup = BeautifulSoup(fragment, "lxml")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(["p", "li", "div", "h1", "h2", "h3", "h4", "tr"]):
        block.insert_before("\n")
        block.insert_after("\n")
    text = soup.get_text()
    lines = [" ".join(line.split()) for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def clean(value: Any) -> str:
    return " ".join(html.unescape(str(value or "")).split())


def record(source: str, native_id: Any, url: str, title: str, **fields: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "source": source,
        "native_id": str(native_id),
        "url": url,
        "title": title,
    }
    rec.update({k: v for k, v in fields.items() if v not in (None, "", [])})
    return rec


def codeur_listing() -> Iterator[dict[str, Any]]:
    path = RECORDINGS / "codeur" / "projects_listing_2026-04-17_aibuilderX.html"
    soup = BeautifulSoup(path.read_bytes(), "lxml")
    for card in soup.select('#projects-list a[href^="/projects/"]'):
        href = card["href"]
        native_id = re.match(r"/projects/(\d+)", href).group(1)
        pill = card.select_one("span.rounded-md")
        budget = card.select_one('span[title="Budget"]')
        offers = card.select_one('span[title="Offres"]')
        views = card.select_one('span[title="Vues"]')
        excerpt = card.select_one("div.line-clamp-3")
        chips = [clean(c.get_text()) for c in card.select("div.max-h-6 > span")]
        yield record(
            "codeur",
            native_id,
            "https://www.codeur.com" + href,
            clean(card.select_one("h3").get_text()),
            description=excerpt.get_text().strip() if excerpt else "",
            tags=chips,
            budget_text=budget.get_text().strip() if budget else "",
            status=clean(pill.get_text()) if pill else "",
            offers=int(re.sub(r"\D", "", offers.get_text())) if offers else None,
            views=int(re.sub(r"\D", "", views.get_text())) if views else None,
            language="fr",
            extra={"age": clean(card.select_one("h3 + span").get_text())},
        )


def codeur_rss() -> Iterator[dict[str, Any]]:
    path = RECORDINGS / "codeur" / "codeur_one_item.rss"
    for item in ElementTree.parse(path).getroot().iter("item"):
        paragraphs = re.findall(r"<p>(.*?)</p>", item.findtext("description"), re.DOTALL)
        head = clean(paragraphs[0])
        budget, _, cats = head.partition(" - Catégories : ")
        categories = [c.strip() for c in cats.split(",") if c.strip()]
        yield record(
            "codeur",
            item.findtext("guid").strip(),
            item.findtext("link").strip(),
            clean(item.findtext("title")),
            description=clean(paragraphs[1]),
            tags=categories,
            categories=categories,
            budget_text=budget.removeprefix("Budget : "),
            language="fr",
        )


def upwork() -> Iterator[dict[str, Any]]:
    path = RECORDINGS / "upwork" / "topics_rss_android_2018-03-07_wbrawner.xml"
    for item in ElementTree.parse(path).getroot().iter("item"):
        body = item.findtext("description")
        fields = {
            k.strip(): v
            for k, v in re.findall(r"<b>([^<]+)</b>:(.*?)(?=<br />|<b>|$)", body, re.DOTALL)
        }
        description = text_of(re.split(r"<b>", body, maxsplit=1)[0])
        budget = ""
        if "Budget" in fields:
            budget = clean(fields["Budget"])
        elif "Hourly Range" in fields:
            budget = "Hourly Range: " + clean(fields["Hourly Range"])
        link = item.findtext("link")
        yield record(
            "upwork",
            re.search(r"_%7E(\w+)", link).group(1),
            link,
            clean(item.findtext("title")).removesuffix(" - Upwork"),
            description=description,
            tags=[clean(s) for s in fields.get("Skills", "").split(",") if clean(s)],
            categories=[clean(html.unescape(fields["Category"]))] if "Category" in fields else [],
            budget_text=budget,
            location=clean(fields.get("Country", "")),
            language="en",
        )


def remoteok() -> Iterator[dict[str, Any]]:
    for path in sorted((RECORDINGS / "remoteok").glob("*.json")):
        for job in json.loads(path.read_text("utf-8")):
            if "position" not in job:  # element 0 is the legal notice
                continue
            yield record(
                "remoteok",
                job["id"],
                job["url"],
                clean(job["position"]),
                description=text_of(job.get("description", "")),
                client=clean(job.get("company")),
                tags=list(job.get("tags") or []),
                salary_min=job.get("salary_min") or None,
                salary_max=job.get("salary_max") or None,
                location=clean(job.get("location")),
                language="en",
            )


def remotive() -> Iterator[dict[str, Any]]:
    for path in sorted((RECORDINGS / "remotive").glob("*.json")):
        for job in json.loads(path.read_text("utf-8"))["jobs"]:
            yield record(
                "remotive",
                job["id"],
                job["url"],
                clean(job["title"]),
                description=text_of(job.get("description", "")),
                client=clean(job.get("company_name")),
                tags=list(job.get("tags") or []),
                categories=[job["category"]] if job.get("category") else [],
                budget_text=clean(job.get("salary")),
                location=clean(job.get("candidate_required_location")),
                contract_field=job.get("job_type") or "",
                language="en",
            )


def jobicy() -> Iterator[dict[str, Any]]:
    for path in sorted((RECORDINGS / "jobicy").glob("*.json")):
        for job in json.loads(path.read_text("utf-8"))["jobs"]:
            yield record(
                "jobicy",
                job["id"],
                job["url"],
                clean(job["jobTitle"]),
                description=text_of(job.get("jobDescription", "")),
                client=clean(job.get("companyName")),
                categories=[clean(c) for c in job.get("jobIndustry") or []],
                contract_field=", ".join(job.get("jobType") or []),
                location=clean(job.get("jobGeo")),
                salary_min=job.get("salaryMin"),
                salary_max=job.get("salaryMax"),
                salary_currency=job.get("salaryCurrency"),
                salary_period=job.get("salaryPeriod"),
                language="en",
            )


def himalayas() -> Iterator[dict[str, Any]]:
    for path in sorted((RECORDINGS / "himalayas").glob("*.json")):
        for job in json.loads(path.read_text("utf-8"))["jobs"]:
            yield record(
                "himalayas",
                job["guid"],
                job["applicationLink"],
                clean(job["title"]),
                description=text_of(job.get("description", "")),
                client=clean(job.get("companyName")),
                categories=list(job.get("categories") or []),
                contract_field=job.get("employmentType") or "",
                location=", ".join(job.get("locationRestrictions") or []),
                salary_min=job.get("minSalary"),
                salary_max=job.get("maxSalary"),
                salary_currency=job.get("currency"),
                salary_period=job.get("salaryPeriod"),
                language="en",
            )


def _rss_items(path: Path) -> Iterator[dict[str, str]]:
    """Items of an RSS file as tag -> text, tolerant of the malformed WWR excerpt."""
    text = path.read_text("utf-8")
    for chunk in re.findall(r"<item>(.*?)</item>", text, re.DOTALL):
        fields = {}
        for tag, value in re.findall(r"<(\w+)>(.*?)</\1>", chunk, re.DOTALL):
            fields.setdefault(tag, html.unescape(value.strip()))
        if "title" in fields:
            yield fields


def weworkremotely() -> Iterator[dict[str, Any]]:
    paths = [
        RECORDINGS / "weworkremotely" / "remote-jobs_rss_2026-07_ikevinxie_4items.xml",
        RECORDINGS / "weworkremotely" / "wwr_devops_rss_2026-07-16_trimmed_malformed.rss",
    ]
    for path in paths:
        for item in _rss_items(path):
            company, _, title = item["title"].partition(": ")
            location = ", ".join(
                v for v in (item.get("region"), item.get("country"), item.get("state")) if v
            )
            yield record(
                "weworkremotely",
                item["guid"].rsplit("/", 1)[-1],
                item["link"],
                title or company,
                client=company if title else "",
                description=text_of(item.get("description", "")),
                tags=[
                    s.strip() for s in re.split(r",|\band\b", item.get("skills", "")) if s.strip()
                ],
                categories=[item["category"]] if item.get("category") else [],
                contract_field=item.get("type", ""),
                location=location,
                language="en",
            )


def workingnomads() -> Iterator[dict[str, Any]]:
    for path in sorted((RECORDINGS / "workingnomads").glob("*.json")):
        for job in json.loads(path.read_text("utf-8")):
            yield record(
                "workingnomads",
                job["url"].rstrip("/").rsplit("/", 1)[-1],
                job["url"],
                clean(job["title"]),
                description=text_of(job.get("description", "")),
                client=clean(job.get("company_name")),
                tags=[t.strip() for t in (job.get("tags") or "").split(",") if t.strip()],
                categories=[job["category_name"]] if job.get("category_name") else [],
                location=clean(job.get("location")),
                language="en",
            )


def arbeitnow() -> Iterator[dict[str, Any]]:
    for path in sorted((RECORDINGS / "arbeitnow").glob("*.json")):
        for job in json.loads(path.read_text("utf-8"))["data"]:
            yield record(
                "arbeitnow",
                job["slug"],
                job["url"],
                clean(job["title"]),
                description=text_of(job.get("description", "")),
                client=clean(job.get("company_name")),
                tags=list(job.get("tags") or []),
                remote_field=str(job.get("remote")).lower(),
                contract_field=", ".join(job.get("job_types") or []),
                location=clean(job.get("location")),
                language="",
            )


def hackernews() -> Iterator[dict[str, Any]]:
    for path in sorted((RECORDINGS / "hackernews").glob("algolia_whoishiring_*.json")):
        data = json.loads(path.read_text("utf-8"))
        for hit in data["hits"]:
            if str(hit.get("parent_id")) != str(hit.get("story_id")):
                continue  # replies are not job posts
            text = text_of(hit["comment_text"])
            first, _, rest = text.partition("\n")
            yield record(
                "hackernews",
                hit["objectID"],
                f"https://news.ycombinator.com/item?id={hit['objectID']}",
                first,
                description=rest.strip(),
                client=first.split("|")[0].strip(),
                language="en",
            )


def reddit() -> Iterator[dict[str, Any]]:
    for path in sorted((RECORDINGS / "reddit_forhire").glob("*.json")):
        for child in json.loads(path.read_text("utf-8"))["data"]["children"]:
            post = child["data"]
            yield record(
                "reddit_forhire",
                post["id"],
                "https://www.reddit.com" + post["permalink"],
                html.unescape(post["title"]),
                description=html.unescape(post.get("selftext") or ""),
                categories=[post["link_flair_text"]] if post.get("link_flair_text") else [],
                language="en",
            )


def french_boards() -> Iterator[dict[str, Any]]:
    base = RECORDINGS / "french_boards"
    soup = BeautifulSoup((base / "freelancerepublik.html").read_bytes(), "lxml")
    for card in soup.select("a.jobboard-card"):
        tag = {d["data-jb"]: clean(d.get_text()) for d in card.select("[data-jb]")}
        yield record(
            "freelancerepublik",
            card["href"].rsplit("-", 1)[-1],
            "https://www.freelancerepublik.com" + card["href"],
            clean(card.select_one("h3").get_text()),
            description=clean(card.select_one("p").get_text()),
            remote_field=tag.get("lieu"),
            location=tag.get("localisation", ""),
            contract_field=tag.get("contrat", ""),
            language="fr",
        )
    soup = BeautifulSoup((base / "jobijoba-list.html").read_bytes(), "lxml")
    for offer in soup.select("div.offer"):
        features = [clean(f.get_text()) for f in offer.select(".offer-features .feature")]
        desc = offer.select_one("span.description")
        salary = next((f for f in features if "€" in f), "")
        remote = next((f for f in features if "télétravail" in f.lower()), None)
        product = json.loads(offer.select_one("a")["data-product"] or "{}")
        category = ""
        if product:
            category = product["ecommerce"]["click"]["products"][0]["category"]
        yield record(
            "jobijoba",
            offer["data-id"].removeprefix("ad_"),
            offer.select_one("a")["href"],
            clean(offer.select_one("h3").get_text()),
            description=clean(desc.get_text()) if desc else "",
            client=features[2] if len(features) > 2 else "",
            categories=[category] if category else [],
            budget_text=salary,
            remote_field=remote,
            location=features[0] if features else "",
            contract_field=features[1] if len(features) > 1 else "",
            language="fr",
        )
    soup = BeautifulSoup((base / "lesjeudis-card.html").read_bytes(), "lxml")
    for card in soup.select("div.card"):
        link = card.select("a")[1]
        divs = link.find_all("div", recursive=False)
        meta = [clean(s.get_text()) for s in divs[3].find_all("span", recursive=False)]
        meta = [m for m in meta if m != "·"]
        yield record(
            "lesjeudis",
            link["href"].rsplit("-", 1)[-1],
            "https://www.lesjeudis.com" + link["href"],
            clean(link.select_one("h3").get_text()),
            client=clean(divs[1].get_text()),
            categories=[clean(divs[2].get_text())],
            tags=[clean(s.get_text()) for s in divs[4].find_all("span")],
            location=meta[0],
            contract_field=meta[1],
            remote_field=meta[2],
            budget_text=meta[3],
            language="fr",
        )


EXTRACTORS = [
    codeur_listing,
    codeur_rss,
    upwork,
    remoteok,
    remotive,
    jobicy,
    himalayas,
    weworkremotely,
    workingnomads,
    arbeitnow,
    hackernews,
    reddit,
    french_boards,
]


def main() -> int:
    records = [rec for extract in EXTRACTORS for rec in extract()]
    with OUT.open("w", encoding="utf-8") as out:
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{len(records)} raw missions -> {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
