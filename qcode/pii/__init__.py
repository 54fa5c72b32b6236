"""Anonymisation check: find identifiers that escaped anonymisation, and pseudonymise them.

`scan_text` / `scan_file` list likely identifiers (names, phones, DNI and other IDs,
e-mails, addresses, dates of birth, file numbers, plates); `redact_text` / `redact_file`
replace each distinct one with a stable placeholder; `findings_in_passages` checks what an
export is about to write.
"""

from .allowlist import Allowlist, project_allowlist
from .findings import KINDS, Finding
from .redact import redact_file, redact_text
from .scan import ScanResult, findings_in_passages, scan_file, scan_text

__all__ = ["KINDS", "Allowlist", "Finding", "ScanResult", "findings_in_passages",
           "project_allowlist", "redact_file", "redact_text", "scan_file", "scan_text"]
