"""The plugin's settings in mkdocs.yml (`plugins: - casebook: {...}`), typed.

MkDocs validates them itself, as for every plugin: an unknown or mistyped
option is a config error or warning, and `--strict` fails on it. The defaults
reproduce this repository's site. `to_settings` turns them into the engine's
plain `Settings`, so nothing below this adapter imports MkDocs, and
`settings_from_mkdocs_yml` gives `casebook check` the very same values.
"""

from __future__ import annotations

import logging
from dataclasses import fields
from pathlib import Path

from mkdocs.config import base, load_config
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError

from casebook.project.settings import GeneratedPages, ImageSettings, Labels, OnlineSettings, PrivacySettings, Settings

_LABELS = Labels()
_PAGES = GeneratedPages()
_ONLINE = OnlineSettings()
_SETTINGS = Settings()
_IMAGES = ImageSettings()
_PRIVACY = PrivacySettings()


class LabelsConfig(base.Config):
    """Every word Casebook shows readers, so a site in another language can translate it."""

    show_answer = c.Type(str, default=_LABELS.show_answer)
    answer = c.Type(str, default=_LABELS.answer)
    answer_seen = c.Type(str, default=_LABELS.answer_seen)
    question = c.Type(str, default=_LABELS.question)
    the_case = c.Type(str, default=_LABELS.the_case)
    diagnosis = c.Type(str, default=_LABELS.diagnosis)
    also_called = c.Type(str, default=_LABELS.also_called)
    references = c.Type(str, default=_LABELS.references)
    references_in_answer = c.Type(str, default=_LABELS.references_in_answer)
    related_cases = c.Type(str, default=_LABELS.related_cases)
    key_points = c.Type(str, default=_LABELS.key_points)
    learning_objectives = c.Type(str, default=_LABELS.learning_objectives)
    quiz_legend = c.Type(str, default=_LABELS.quiz_legend)
    quiz_check = c.Type(str, default=_LABELS.quiz_check)
    quiz_options_explained = c.Type(str, default=_LABELS.quiz_options_explained)
    quiz_correct = c.Type(str, default=_LABELS.quiz_correct)
    quiz_not_best = c.Type(str, default=_LABELS.quiz_not_best)
    no_cases = c.Type(str, default=_LABELS.no_cases)
    show_all_cases = c.Type(str, default=_LABELS.show_all_cases)
    quiz_pick_first = c.Type(str, default=_LABELS.quiz_pick_first)
    quiz_your_pick = c.Type(str, default=_LABELS.quiz_your_pick)
    quiz_result_right = c.Type(str, default=_LABELS.quiz_result_right)
    quiz_result_wrong = c.Type(str, default=_LABELS.quiz_result_wrong)
    progress_one = c.Type(str, default=_LABELS.progress_one)
    progress_many = c.Type(str, default=_LABELS.progress_many)
    filter_status_one = c.Type(str, default=_LABELS.filter_status_one)
    filter_status_many = c.Type(str, default=_LABELS.filter_status_many)
    hide_answer = c.Type(str, default=_LABELS.hide_answer)
    quiz_no_js = c.Type(str, default=_LABELS.quiz_no_js)
    quiz_try_again = c.Type(str, default=_LABELS.quiz_try_again)
    sex_unspecified = c.Type(str, default=_LABELS.sex_unspecified)
    answer_link_notice = c.Type(str, default=_LABELS.answer_link_notice)
    enlarge_figure = c.Type(str, default=_LABELS.enlarge_figure)
    related_diagnosis = c.Type(str, default=_LABELS.related_diagnosis)
    related_specialty = c.Type(str, default=_LABELS.related_specialty)
    related_body_site = c.Type(str, default=_LABELS.related_body_site)
    related_joiner = c.Type(str, default=_LABELS.related_joiner)
    search_no_js = c.Type(str, default=_LABELS.search_no_js)
    search_none = c.Type(str, default=_LABELS.search_none)
    search_browse = c.Type(str, default=_LABELS.search_browse)
    search_dialog = c.Type(str, default=_LABELS.search_dialog)
    cite_label = c.Type(str, default=_LABELS.cite_label)
    other_cases = c.Type(str, default=_LABELS.other_cases)
    newer_case = c.Type(str, default=_LABELS.newer_case)
    older_case = c.Type(str, default=_LABELS.older_case)
    print_handout = c.Type(str, default=_LABELS.print_handout)
    print_key = c.Type(str, default=_LABELS.print_key)


class PagesConfig(base.Config):
    """Where the generated pages go in the site (`""` leaves a page out)."""

    bibliography = c.Type(str, default=_PAGES.bibliography)
    diagnoses = c.Type(str, default=_PAGES.diagnoses)
    etiology = c.Type(str, default=_PAGES.etiology)
    feed = c.Type(str, default=_PAGES.feed)


class OnlineConfig(base.Config):
    """`casebook check --online`: the link cache and how hard each host is asked."""

    cache_dir = c.Type(str, default=_ONLINE.cache_dir)
    timeout = c.Type((int, float), default=_ONLINE.timeout)
    retries = c.Type(int, default=_ONLINE.retries)
    per_host = c.Type(int, default=_ONLINE.per_host)


class ImagesConfig(base.Config):
    """Figures: the size above which a source is a warning and its published copy is resized."""

    max_side = c.Type(int, default=_IMAGES.max_side)
    max_mb = c.Type((int, float), default=_IMAGES.max_mb)


class PrivacyConfig(base.Config):
    """The patient-privacy lint (`phi-*` rules): `warning` (the default) or `error`."""

    level = c.Choice(("warning", "error"), default=_PRIVACY.level)


class CasebookConfig(base.Config):
    """`plugins: - casebook:` in mkdocs.yml; docs/plugin.md lists every option."""

    cases_dir = c.Type(str, default=_SETTINGS.cases_dir)
    bibliography = c.ListOfItems(c.Type(str), default=list(_SETTINGS.bibliography))
    pages = c.SubConfig(PagesConfig)
    latest_cases = c.Type(int, default=_SETTINGS.latest_cases)
    related_cases = c.Type(int, default=_SETTINGS.related_cases)
    citation_style = c.Choice(("ama", "vancouver"), default=_SETTINGS.citation_style)
    labels = c.SubConfig(LabelsConfig)
    online = c.SubConfig(OnlineConfig)
    images = c.SubConfig(ImagesConfig)
    privacy = c.SubConfig(PrivacyConfig)
    #: Zoomable figures with mkdocs-glightbox (added by Casebook, configured for its figures).
    lightbox = c.Type(bool, default=True)


class SettingsError(Exception):
    """mkdocs.yml cannot be read, or its casebook settings are invalid."""


def to_settings(config: CasebookConfig, mkdocs_config: MkDocsConfig) -> Settings:
    """The engine's view of the plugin config, with paths resolved against the project root."""
    root = Path(mkdocs_config.config_file_path or ".").resolve().parent
    docs_dir = Path(mkdocs_config.docs_dir)
    docs_rel = docs_dir.relative_to(root).as_posix() if docs_dir.is_relative_to(root) else str(docs_dir)
    cases_dir = config.cases_dir.strip().strip("/")
    _check_cases_dir(cases_dir, root, docs_dir)
    online = config.online
    return Settings(
        root=root,
        docs_dir=docs_rel,
        cases_dir=cases_dir,
        bibliography=tuple(config.bibliography),
        pages=GeneratedPages(**{f.name: config.pages[f.name] for f in fields(GeneratedPages)}),
        latest_cases=config.latest_cases,
        related_cases=config.related_cases,
        citation_style=config.citation_style,
        labels=Labels(**{f.name: config.labels[f.name] for f in fields(Labels)}),
        online=OnlineSettings(
            cache_dir=online.cache_dir, timeout=float(online.timeout), retries=online.retries, per_host=online.per_host
        ),
        use_directory_urls=bool(mkdocs_config.use_directory_urls),
        images=ImageSettings(max_side=config.images.max_side, max_mb=float(config.images.max_mb)),
        privacy=PrivacySettings(level="error" if config.privacy.level == "error" else "warning"),
    )


def _check_cases_dir(cases_dir: str, root: Path, docs_dir: Path) -> None:
    """Case pages are published at the cases folder's path, so it must be a folder of the project, beside docs/."""
    path = (root / cases_dir).resolve()
    if not cases_dir or Path(cases_dir).is_absolute() or not path.is_relative_to(root) or path == root:
        raise ConfigurationError(
            f"casebook: 'cases_dir' must be a folder inside the project (relative to mkdocs.yml), not {cases_dir!r}"
        )
    if path.is_relative_to(docs_dir.resolve()):
        raise ConfigurationError(
            f"casebook: 'cases_dir' ({cases_dir}) must not be inside docs_dir: MkDocs would publish every case "
            "file twice; keep cases beside docs/"
        )


class _ConfigMessages(logging.Handler):
    """Collects what MkDocs says while it reads mkdocs.yml (its config warnings fail `--strict`)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def settings_from_mkdocs_yml(config_file: Path, root: Path, *, required: bool = False) -> Settings:
    """The settings the build would use, read from `config_file` as `mkdocs build` reads it.

    No mkdocs.yml: the defaults, with `root` as the project folder (an error when
    the file was named, `required`). No casebook plugin in it: the defaults, with
    the site's docs_dir and URL style. A config error or warning (a mistyped
    option) is a SettingsError, since the strict build would stop on it too.
    """
    if not config_file.is_file():
        if required:
            raise SettingsError(f"{config_file}: no such config file")
        return Settings(root=root)
    logger = logging.getLogger("mkdocs")
    level, propagate = logger.level, logger.propagate
    handler = _ConfigMessages()
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False  # said once, in the SettingsError, not also on the console
    try:
        mkdocs_config = load_config(str(config_file))
    except (ConfigurationError, Abort, OSError) as exc:
        said = "; ".join(handler.messages)
        raise SettingsError(f"{config_file}: {said or exc}") from exc
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
    if handler.messages:
        raise SettingsError(f"{config_file}: " + "; ".join(handler.messages))
    plugin = mkdocs_config.plugins.get("casebook")
    if plugin is None:
        site_root = Path(mkdocs_config.config_file_path).resolve().parent
        return Settings(
            root=site_root,
            docs_dir=Path(mkdocs_config.docs_dir).relative_to(site_root).as_posix(),
            use_directory_urls=bool(mkdocs_config.use_directory_urls),
        )
    try:
        assert isinstance(plugin.config, CasebookConfig)
        return to_settings(plugin.config, mkdocs_config)
    except ConfigurationError as exc:
        raise SettingsError(str(exc)) from exc
