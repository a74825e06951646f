"""The `nkmap` command: validate the dataset, export what holds on a date, list the timeline, build the site.

Exit codes: 0 success, 1 the dataset (or a query) has problems, 2 bad usage or input (date, format, path).
Errors are one clear line on stderr, never a traceback.

Each command imports what only it uses (validation, the source audit, the gazetteer and place card, the site)
in its own function: the program is one process per command, and `nkmap export --format png` then leaves them
out (~2 MB of its peak memory, bench/bench_png_memory.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from pathlib import Path
from typing import Callable

from nkmap.cli.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError
from nkmap.cli.export_formats import MAP_WRITERS, add_map_options
from nkmap.cli.language import language_option
from nkmap.data.dataset import DatasetError, default_geo_dir, load_dataset
from nkmap.export.export_files import write_atomic
from nkmap.export.export_geojson import geojson_bytes
from nkmap.model.timeline import (
    WAR_START,
    DateError,
    area_change_since_war,
    areas_on,
    events_on,
    held_in_country_km2,
    layer_on,
    parse_date,
)
from nkmap.text import export_text as tx
from nkmap.text.messages import Messages, messages_for

# Export formats beyond GeoJSON (format -> writer(ds, args) returning bytes or writing files): the map formats.
EXPORT_WRITERS: dict[str, Callable] = dict(MAP_WRITERS)


def write_atomically(output: str, data: bytes) -> None:
    """Write `data` to `output` ('-' is stdout) so that a failure never leaves a half-written file."""
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = Path(output)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError(f"cannot write {output}: directory {directory} does not exist")
    try:
        write_atomic(target, data, check=False)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}") from None


def cmd_validate(args: argparse.Namespace) -> int:
    from nkmap.data.validation import validate_dataset  # this command's own (see the module's docstring)

    geo_dir = Path(args.geo_dir) if args.geo_dir else default_geo_dir()
    problems = validate_dataset(geo_dir)
    for problem in problems:
        print(str(problem))
    if problems:
        print(f"{len(problems)} problem(s) in {geo_dir}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"{geo_dir}: dataset is valid")
    return EXIT_OK


def cmd_sources(args: argparse.Namespace) -> int:
    from nkmap.data.source_audit import audit, audit_text  # this command's own (see the module's docstring)

    ds = load_dataset(args.geo)
    print(audit_text(audit(ds), full=not args.summary))
    return EXIT_OK


def _layers_arg(ds, text: str | None) -> list[str] | None:
    if not text:
        return None
    wanted = [t.strip() for t in text.split(",") if t.strip()]
    known = {s.id for s in ds.layer_specs}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise UsageError(f"unknown layer(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    return wanted


def cmd_export(args: argparse.Namespace) -> int:
    language_option(args.lang)  # an unknown language is an error whatever the format
    ds = load_dataset(args.geo)
    fmt = args.format.lower()
    if fmt != "geojson" and fmt not in EXPORT_WRITERS:
        formats = ", ".join(["geojson", *sorted(EXPORT_WRITERS)])
        raise UsageError(f"unknown format '{args.format}' (known: {formats})")
    args.layers_list = _layers_arg(ds, args.layers)
    if fmt == "geojson":
        if not args.date:
            raise UsageError("--date YYYY-MM-DD is required")
        day = parse_date(args.date, ds)
        write_atomically(args.output, geojson_bytes(ds, day, args.layers_list))
        return EXIT_OK
    return EXPORT_WRITERS[fmt](ds, args) or EXIT_OK


def cmd_timeline(args: argparse.Namespace) -> int:
    lang = language_option(args.lang)
    m = messages_for(lang)
    ds = load_dataset(args.geo)
    events = ds.layers["events"].sort_values(["valid_from", "id"])
    keys = {k.date: tx.key_date_label(ds.manifest, k.date, k.label_en, lang) for k in ds.key_dates}
    # ISO dates in every language: the list is a table, sorted and read by scripts as well as by people.
    lines = []
    for k_date, label in sorted(keys.items()):
        lines.append((k_date, 0, f"{k_date.isoformat()}  * {label}"))
    for event in events.to_dict("records"):
        lines.append((event["valid_from"], 1, f"{event['valid_from'].isoformat()}    {tx.event_title(event, lang)}"))
    if "context" in ds.layers:  # events that explain the war without moving the line, marked as such
        for event in ds.layers["context"].to_dict("records"):
            name = m._("[context] {name}", name=tx.event_title(event, lang))
            lines.append((event["valid_from"], 2, f"{event['valid_from'].isoformat()}    {name}"))
    for _, _, text in sorted(lines):
        print(text)
    return EXIT_OK


def _signed_km2(m: Messages, value: float) -> str:
    """ "+1,234 km²" / "-56 km²" ("-0" for a loss that rounds to nothing, as Python's "+,.0f" writes it)."""
    sign = "-" if math.copysign(1.0, value) < 0 else "+"
    return m._("{area} km²", area=sign + m.number(abs(value)))


def cmd_state(args: argparse.Namespace) -> int:
    lang = language_option(args.lang)
    m = messages_for(lang)
    ds = load_dataset(args.geo)
    day = parse_date(args.date, ds)
    change = area_change_since_war(ds, day)
    # English keeps the day as it always printed it ("On 01 October 2020"): scripts read this output.
    written = day.strftime("%d %B %Y") if lang == "en" else m.day(day)
    print(m._("On {date}:", date=written))
    eve = m.short_day(WAR_START - dt.timedelta(days=1))
    for side, km2 in areas_on(ds, day).items():
        if ds.sides[side].get("outside_region"):
            continue
        side_name = tx.side_label(ds.sides, side, lang)
        line = m._(
            "{side}: {area} ({change} since {date})",
            side=side_name,
            area=m.km2(km2),
            change=_signed_km2(m, change[side]),
            date=eve,
        )
        print(f"  {line}")
    abroad = held_in_country_km2(ds, day, "azerbaijan", "country-arm")
    if abroad >= 0.5:
        print(
            "  "
            + m._(
                "outside the region: about {area} of Armenia held by Azerbaijani forces (schematic)", area=m.km2(abroad)
            )
        )
    for event in events_on(ds, day).to_dict("records"):
        print("  " + m._("event: {name}", name=tx.event_title(event, lang)))
    if "context" in ds.layers:
        for event in layer_on(ds, "context", day).to_dict("records"):
            print("  " + m._("context: {name}", name=tx.event_title(event, lang)))
    return EXIT_OK


# ---------------------------------------------------------------- nkmap place (gazetteer.py, place_card.py)


def cmd_place(args: argparse.Namespace) -> int:
    """Print the places matching QUERY, each with its card; exit 1 with the nearest names when none does."""
    from nkmap.model.gazetteer import QueryError, clean_query, did_you_mean, search, shown  # this command's own
    from nkmap.text.place_card import card_text

    lang = language_option(args.lang)
    m = messages_for(lang)
    ds = load_dataset(args.geo)
    try:
        query = clean_query(" ".join(args.query))
    except QueryError as exc:
        raise UsageError(str(exc)) from None
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    day = parse_date(args.date, ds) if args.date else None
    matches = [m for m in search(ds, query, limit=args.limit + 1) if not m.did_you_mean]
    if not matches:
        near = did_you_mean(ds, query)
        if near:
            said = m._("no place matches '{query}'; did you mean: {names}?", query=shown(query), names="; ".join(near))
        else:
            said = m._("no place matches '{query}'", query=shown(query))
        print(f"nkmap: {said}", file=sys.stderr)
        return EXIT_PROBLEMS
    listed = matches[: args.limit]
    if len(matches) > args.limit:
        print(
            m._(
                "{count} place(s) match '{query}' (more match: type more of the name, or raise --limit):",
                count=len(listed),
                query=shown(query),
            )
        )
    else:
        print(m._("{count} place(s) match '{query}':", count=len(listed), query=shown(query)))
    places = {str(p["id"]): p for p in ds.layers["places"].to_dict("records")} if lang != "en" else {}
    for match in listed:
        # English: every name, the type and the district (the search's own label); other languages: the name policy.
        label = tx.place_name(places[match.place_id], lang) if match.place_id in places else match.label
        print(f"  - {label}")
    # The best match's card; the others on asking (--all), so a name shared by several places stays readable.
    for match in listed if args.all else listed[:1]:
        print()
        print(card_text(ds, match.place_id, day, lang=lang))
    if len(listed) > 1 and not args.all:
        print("\n" + m._("(The first match's card; --all prints the card of each of the {count}.)", count=len(listed)))
    return EXIT_OK


# ---------------------------------------------------------------- nkmap site (nkmap.site)


def cmd_site(args: argparse.Namespace) -> int:
    """Build the static site; a dataset with problems builds nothing and each problem is named."""
    from nkmap.site.build import SiteError, build_site  # this command's own (see the module's docstring)

    try:
        report = build_site(args.output, args.geo)
    except SiteError as exc:
        print(f"nkmap: {exc}", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_PROBLEMS if exc.problems else EXIT_USAGE
    except OSError as exc:
        print(f"nkmap: cannot write the site to {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"{report.output}: {report.places} place pages, {report.files} files, {report.bytes / 1e6:.1f} MB; "
        f"open {report.output / 'index.html'} or copy the folder to any web host"
    )
    return EXIT_OK


def _add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", help="print in en, az (Azərbaycanca), hy (Հայերեն) or ru (Русский) (default en)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nkmap", description=__doc__.splitlines()[0])
    parser.add_argument("--geo", help="dataset directory (default: ./geo or $NKMAP_GEO)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check the dataset; one line per problem")
    p.add_argument("geo_dir", nargs="?", help="dataset directory (default: ./geo)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("export", help="export what holds on a date")
    p.add_argument("--date", help="YYYY-MM-DD")
    p.add_argument("--format", default="geojson", help="geojson (and the formats the export modules add)")
    p.add_argument("--output", "-o", default="-", help="file to write, '-' for stdout")
    p.add_argument("--layers", help="comma-separated layer ids (default: all)")
    p.set_defaults(func=cmd_export)
    add_map_options(p)

    p = sub.add_parser("sources", help="the audit of the record: citations by kind, support, one-sided features")
    p.add_argument("--geo", help="dataset directory (default: ./geo)")
    p.add_argument("--summary", action="store_true", help="the figures only, without the list of one-sided features")
    p.set_defaults(func=cmd_sources)
    p = sub.add_parser("timeline", help="the key dates and events, one a line")
    _add_lang(p)
    p.set_defaults(func=cmd_timeline)

    p = sub.add_parser("state", help="the area each side held on a date, and that day's events")
    p.add_argument("--date", required=True, help="YYYY-MM-DD")
    _add_lang(p)
    p.set_defaults(func=cmd_state)

    p = sub.add_parser("place", help="find a place by any of its names and print its history")
    p.add_argument("query", nargs="*", help="a name in any spelling or script, e.g. Shusha, Şuşa, Шуша, Karvachar")
    p.add_argument("--date", help="YYYY-MM-DD: also say who held it that day")
    p.add_argument("--limit", type=int, default=5, help="at most this many places (default 5)")
    p.add_argument("--all", action="store_true", help="print the card of every place that matches, not only the first")
    _add_lang(p)
    p.set_defaults(func=cmd_place)

    p = sub.add_parser("site", help="build the static website (explorer, a page per place, data downloads)")
    p.add_argument("--output", "-o", required=True, help="the site's folder (new, empty, or a site built before)")
    p.set_defaults(func=cmd_site)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (UsageError, DateError) as exc:
        print(f"nkmap: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DatasetError as exc:
        print(f"nkmap: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
