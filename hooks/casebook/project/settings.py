"""What a site configures about Casebook, as plain data the engine can use.

The MkDocs adapter fills this from the plugin's typed config; `casebook check`
gets the same values by loading mkdocs.yml the same way, so both read the same
folders. The defaults are this repository's site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

#: The MkDocs convention for a plugin's cache: `.cache/plugin/<name>/` in the project.
CACHE_DIR = ".cache/plugin/casebook"


@dataclass(frozen=True)
class Labels:
    """Every word Casebook shows readers, so a site in another language can translate it."""

    show_answer: str = "Show the answer"
    answer: str = "Answer"
    answer_seen: str = "Answer seen"
    question: str = "Question"
    the_case: str = "The case"
    diagnosis: str = "Diagnosis"
    also_called: str = "also called"
    references: str = "References"
    references_in_answer: str = "References cited in the answer"
    related_cases: str = "Related cases"
    key_points: str = "Key points"
    learning_objectives: str = "Learning objectives"
    quiz_legend: str = "Pick the most likely diagnosis"
    quiz_check: str = "Check my answer"
    quiz_options_explained: str = "The options, explained"
    quiz_correct: str = "Correct."
    quiz_not_best: str = "Not the best answer."
    no_cases: str = "No cases yet."
    show_all_cases: str = "Show all cases"
    # Said by casebook-reader.js; {placeholders} are filled in by the script.
    quiz_pick_first: str = "Pick one of the options first."
    quiz_your_pick: str = "Your pick."
    quiz_result_right: str = "Correct: {answer}. The answer is open below."
    quiz_result_wrong: str = "Not quite. The best answer is {answer}. Each option is explained above."
    progress_one: str = "You have revealed the answer of {count} of {total} case on this device."
    progress_many: str = "You have revealed the answer of {count} of {total} cases on this device."
    filter_status_one: str = "Showing {shown} of {total} case."
    filter_status_many: str = "Showing {shown} of {total} cases."
    hide_answer: str = "Hide the answer"
    quiz_no_js: str = "To check your pick, open the answer below: it explains every option."
    quiz_try_again: str = "Try again"
    sex_unspecified: str = "sex not stated"
    # Said by casebook-reader.js too.
    answer_link_notice: str = "This link points into the answer, which stays closed until you open it."
    enlarge_figure: str = "Enlarge {figure}"
    # Why a related case is listed (joined by related_joiner when there are several reasons).
    related_diagnosis: str = "a related diagnosis"
    related_specialty: str = "same specialty"
    related_body_site: str = "same body site"
    related_joiner: str = ", "
    search_no_js: str = "Search needs JavaScript, which is off in this browser."
    search_none: str = "Answers are kept out of the search on purpose, so a diagnosis is not found here."
    search_browse: str = "Browse instead:"
    search_dialog: str = "Search this site"
    cite_label: str = "Reference {n}"
    other_cases: str = "Other cases"
    newer_case: str = "Newer case:"
    older_case: str = "Older case:"
    print_handout: str = "Print as a handout (no answer)"
    print_key: str = "Print with the answer"

    def for_script(self) -> dict[str, str]:
        """The labels casebook-reader.js says that the site changed (it has the defaults itself)."""
        names = (
            "quiz_pick_first",
            "quiz_your_pick",
            "quiz_correct",
            "quiz_not_best",
            "quiz_result_right",
            "quiz_result_wrong",
            "progress_one",
            "progress_many",
            "filter_status_one",
            "filter_status_many",
            "answer_link_notice",
            "show_answer",
            "enlarge_figure",
            "search_dialog",
            "print_handout",
            "print_key",
        )
        default = Labels()
        return {name: getattr(self, name) for name in names if getattr(self, name) != getattr(default, name)}


@dataclass(frozen=True)
class GeneratedPages:
    """Where the generated pages go in the site; an empty path leaves that page out."""

    bibliography: str = "bibliography.md"
    diagnoses: str = "browse/diagnoses.md"
    etiology: str = "browse/etiology.md"
    #: The Atom feed of the published cases (not a page: an XML file at this site path).
    feed: str = "feed.xml"


@dataclass(frozen=True)
class OnlineSettings:
    """`casebook check --online`: the link cache and how hard each host is asked."""

    cache_dir: str = CACHE_DIR
    timeout: float = 10.0
    retries: int = 2
    per_host: int = 2


@dataclass(frozen=True)
class ImageSettings:
    """Figures: a source larger than this is a warning (`image-large`), and its published copy is resized."""

    max_side: int = 2500
    max_mb: float = 3.0


@dataclass(frozen=True)
class PrivacySettings:
    """The patient-privacy lint (`phi-*`): its findings are warnings, or errors that fail every build."""

    level: Literal["warning", "error"] = "warning"


@dataclass(frozen=True)
class Settings:
    """One site's Casebook settings; paths are relative to `root` unless absolute."""

    root: Path = Path(".")
    docs_dir: str = "docs"
    cases_dir: str = "cases"
    #: `.bib` files, or folders whose `*.bib` files are all read.
    bibliography: tuple[str, ...] = ("bib",)
    pages: GeneratedPages = field(default_factory=GeneratedPages)
    latest_cases: int = 3
    related_cases: int = 3
    citation_style: str = "ama"
    labels: Labels = field(default_factory=Labels)
    online: OnlineSettings = field(default_factory=OnlineSettings)
    images: ImageSettings = field(default_factory=ImageSettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    use_directory_urls: bool = True

    @property
    def cases_path(self) -> Path:
        return self.root / self.cases_dir

    @property
    def docs_path(self) -> Path:
        return self.root / self.docs_dir

    @property
    def cases_uri(self) -> str:
        """The cases folder as a site path (`cases`), where case pages are published."""
        return Path(self.cases_dir).as_posix().strip("/")

    def case_uri(self, slug: str) -> str:
        """The src_uri of a case page: `cases/<slug>/index.md`."""
        return f"{self.cases_uri}/{slug}/index.md"

    def bib_paths(self) -> list[Path]:
        """Every `.bib` file the settings name, in a stable order (folders: their `*.bib`)."""
        paths: list[Path] = []
        for entry in self.bibliography:
            path = self.root / entry
            if path.is_dir():
                paths += sorted(path.glob("*.bib"))
            elif path.is_file():
                paths.append(path)
        return list(dict.fromkeys(paths))
