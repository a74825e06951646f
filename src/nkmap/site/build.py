"""`build_site`: the whole static site from a validated `geo/`, written into a temporary folder beside the
output and moved into place only when complete, so a failed build never leaves half a site (nor replaces a good
one). A folder that exists and is not a site nkmap built is never replaced.

    DIR/index.html            the explorer (pages.explorer_page); ?lang=az|hy|ru shows it in another language
    DIR/classroom.html        the classroom page (pages.classroom_page), ?lang= alike
    DIR/lang/<lang>.<page>.js the other languages of those two pages (nkmap.site.languages)
    DIR/places/<id>.html      a page per place; DIR/places/index.html lists them; places/map/<id>.svg its mini-map
    DIR/data/                 the dataset for download (data_files)
    DIR/<lang>/places/, DIR/<lang>/data/index.html   the place pages and the data page in az, hy and ru
    DIR/site.css              the pages' stylesheet (a copy of the package's site.css)
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from nkmap.data.dataset import default_geo_dir, load_dataset
from nkmap.data.validation import validate_dataset
from nkmap.model.gazetteer import places
from nkmap.site.data_files import write_data, write_data_page
from nkmap.site.pages import STYLESHEET, classroom_page, explorer_page, language_files
from nkmap.site.place_pages import MAP_FOLDER, minimap_file, page_name, place_page, places_index
from nkmap.text.messages import LANGUAGES, messages_for
from nkmap.text.place_card import build_card

# A file in every site built, so that a later build knows the folder is one it may replace.
MARKER = ".nkmap-site"
MARKER_TEXT = "This folder was written by `nkmap site`; the next build replaces all of it.\n"


class SiteError(Exception):
    """No site was built: `message` says why in one line, `problems` lists each (file, feature and what)."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


@dataclass(frozen=True)
class SiteReport:
    output: Path
    places: int
    files: int
    bytes: int
    classroom: bool  # whether classroom.html was written


def nkmap_version() -> str:
    try:
        return importlib.metadata.version("nkmap")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree without an install
        return "unknown"


def build_site(output: str | os.PathLike, geo_dir: str | os.PathLike | None = None) -> SiteReport:
    """Build the site from `geo_dir` (default: see `default_geo_dir`) into `output`; SiteError when the dataset
    has problems or `output` cannot be (re)placed, and then nothing is written."""
    geo = Path(geo_dir) if geo_dir is not None else default_geo_dir()
    out = Path(output).resolve()  # '.' or 'site/' alike: the folder's real name and parent
    _check_output(out)
    problems = [str(p) for p in validate_dataset(geo)]
    if problems:
        raise SiteError(f"{geo}: the dataset has {len(problems)} problem(s); no site was built", problems)
    ds = load_dataset(geo)
    bad_ids = [pid for pid in places(ds) if page_name(pid) is None]
    if bad_ids:
        raise SiteError(
            f"{geo}: {len(bad_ids)} place id(s) cannot be a page's address; no site was built",
            [f"places.geojson: {pid!r}: a place id must be letters, digits, '.', '_' or '-'" for pid in bad_ids],
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".building"))
    try:
        report = _write_site(ds, building, out)
        os.chmod(building, 0o755)
        _move_into_place(building, out)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return report


def _check_output(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out}: exists and is not a folder; give a folder for the site")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise SiteError(
            f"{out}: is a folder with other files in it, not a site nkmap built; give a new or empty folder "
            "(a build replaces the whole folder)"
        )
    parent = out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not os.access(parent, os.W_OK | os.X_OK):
        raise SiteError(f"{out}: cannot write in {parent} (permission denied)")


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def _write_site(ds, root: Path, out: Path) -> SiteReport:
    version = nkmap_version()
    (root / STYLESHEET).write_bytes(resources.files("nkmap.site").joinpath("site.css").read_bytes())
    _write(root / "index.html", explorer_page(ds))
    classroom = classroom_page(ds)
    if classroom is not None:
        _write(root / "classroom.html", classroom)
    cards = [build_card(ds, pid) for pid in sorted(places(ds))]
    (root / MAP_FOLDER).mkdir(parents=True)
    for card in cards:
        _write(root / MAP_FOLDER / f"{card.place_id}.svg", minimap_file(ds, card))
    for card in cards:
        _write(root / "places" / str(page_name(card.place_id)), place_page(ds, card, version))
    _write(root / "places" / "index.html", places_index(ds, cards))
    (root / "data").mkdir()
    data_files = write_data(ds, cards, root / "data", version)
    (root / "lang").mkdir()
    for lang in LANGUAGES[1:]:
        m = messages_for(lang)
        for name, script in language_files(ds, lang).items():
            _write(root / "lang" / name, script)
        (root / lang / "places").mkdir(parents=True)
        translated = [build_card(ds, pid, lang=lang) for pid in sorted(places(ds))]
        for card in translated:
            _write(root / lang / "places" / str(page_name(card.place_id)), place_page(ds, card, version, m))
        _write(root / lang / "places" / "index.html", places_index(ds, translated, m))
        (root / lang / "data").mkdir()
        write_data_page(ds, cards, root / lang / "data", version, data_files, m)
    _write(root / MARKER, MARKER_TEXT)
    files = [p for p in root.rglob("*") if p.is_file()]
    for path in [root, *root.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return SiteReport(out, len(cards), len(files), sum(p.stat().st_size for p in files), classroom is not None)


def _move_into_place(building: Path, out: Path) -> None:
    """Put the finished site at `out`; an older site there is moved aside first and removed after."""
    if not out.exists():
        os.replace(building, out)
        return
    old = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".old"))
    os.replace(out, old)  # a folder onto an empty folder: allowed, and atomic
    os.replace(building, out)
    shutil.rmtree(old, ignore_errors=True)
