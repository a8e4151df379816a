"""Queries run without the branches that match nothing in a segment.

The parser searches every word in the page text and in the title, and Whoosh keeps a union of
the two even where one side is empty (no title holds the phrase, or the word): on a query that
matches thousands of pages that union costs a fifth of the time, page by page.
"""

from __future__ import annotations

from typing import Any

from whoosh import matching
from whoosh.query.wrappers import WrappingQuery


class Pruned(WrappingQuery):  # type: ignore[misc]
    """The child query, its matchers with empty branches removed."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        return without_empty_branches(self.child.matcher(searcher, context))


def without_empty_branches(matcher: Any) -> Any:
    """The same matches and scores, from fewer matchers: a union with an inactive side is its
    other side, an intersection with one matches nothing. Other matchers are left as they are."""
    kind = type(matcher)
    if kind is matching.AndMaybeMatcher:
        # Optional words that no page of the segment holds add nothing.
        a, b = without_empty_branches(matcher.a), without_empty_branches(matcher.b)
        if not b.is_active() or not a.is_active():
            return a
        return matcher if (a is matcher.a and b is matcher.b) else kind(a, b)
    if kind is matching.WrappingMatcher:
        child = without_empty_branches(matcher.child)
        if child is matcher.child:
            return matcher
        return matching.WrappingMatcher(child, boost=matcher.boost)
    if kind is not matching.UnionMatcher and kind is not matching.IntersectionMatcher:
        return matcher
    a, b = without_empty_branches(matcher.a), without_empty_branches(matcher.b)
    if kind is matching.IntersectionMatcher:
        if not (a.is_active() and b.is_active()):
            return matching.NullMatcher()
    elif not a.is_active():
        return b
    elif not b.is_active():
        return a
    return matcher if (a is matcher.a and b is matcher.b) else kind(a, b)
