"""The patient-privacy lint (`phi-*` rules), after the HIPAA Safe Harbor list of identifiers.

`patterns` recognises identifiers in text, `optout` reads the authors' inline
opt-outs, `lint` turns both into findings for one case file, and `check` runs
it on every case of a project (called by `casebook.checks.run`, so the build and
`casebook check` report the same findings).
"""

from casebook.privacy.lint import OPTOUT_RULE, PrivacyResult, lint_case_source
from casebook.privacy.patterns import RULES

__all__ = ["OPTOUT_RULE", "RULES", "PrivacyResult", "lint_case_source"]
