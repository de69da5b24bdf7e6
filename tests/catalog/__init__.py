"""Catalogs of student answers: plausible mistakes and correct answers in other styles.

Each ``tests/catalog/hwN.py`` defines ``WRONG`` and ``ALTERNATIVE``, lists of
:class:`Variant`. ``tests/test_catalogs.py`` grades every variant through the
real grader: every ``WRONG`` variant must lose points, every ``ALTERNATIVE``
must keep full marks.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Variant:
    """One student answer cell, given whole or as edits of the reference answer.

    Parameters
    ----------
    id : str
        Short unique name, used as the test id.
    grade_id : str
        The answer cell it replaces (``answer_<name>``).
    source : str, optional
        The whole cell as a student would write it.
    replace : list of (str, str), optional
        Edits applied to the reference answer (solution code, markers removed);
        every ``old`` must occur in it.
    why : str
        The mistake (or the style) in a few words.
    """

    id: str
    grade_id: str
    source: str = None
    replace: list = field(default_factory=list)
    why: str = ""

    def apply(self, reference):
        """Return the cell source: ``source`` or the edited ``reference``."""
        if self.source is not None:
            return self.source
        text = reference
        for old, new in self.replace:
            if old not in text:
                raise ValueError(f"variant {self.id}: {old!r} not in the reference answer")
            text = text.replace(old, new)
        return text
