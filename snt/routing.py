"""URL rules that compile their URL builders on first use.

Werkzeug compiles two Python functions per rule (an AST, then `compile`) as each rule is added:
about half a millisecond a rule, over 120 rules on every start of every command, most of which
never build a URL. Matching is unchanged (its regular expressions are compiled as before); a
rule's builders are compiled the first time `url_for` asks that rule for a URL.
"""

from collections.abc import Callable

from werkzeug.routing import Rule


class LazyBuildRule(Rule):
    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        compiled: Callable[..., tuple[str, str]] | None = None

        def build(rule: Rule, **values: object) -> tuple[str, str]:
            nonlocal compiled
            if compiled is None:  # two threads may both compile: the same function, harmless
                compiled = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            return compiled(**values)

        return build
