"""Lists made of several parts that a paginator counts and slices while each part stops at
the page: merged by one order (`PagedUnion`: the wall's updates and stories), or one after
another (`PagedChain`: the search's tiers).

Ordered whole, such a list makes PostgreSQL read and sort every row of every part for one
page; limited to the page, each part is read along an index and stops there, so a page costs
the same in a registry of 200 organisations and of 20,000 (docs/performance.md)."""

from functools import cached_property

from .public import public_count


class PagedUnion:
    """`parts`: querysets of the same columns (values_list), each filtered to its share of
    the list; `ordering`: the list's order, by those columns, ending in a unique one."""

    def __init__(self, parts, ordering):
        self.parts, self.ordering = list(parts), ordering

    def count(self) -> int:
        first, *others = self.parts
        return public_count(first.union(*others, all=True) if others else first)

    def __len__(self):
        return self.count()

    def __getitem__(self, page: slice) -> list:
        # Django leaves an empty part (a page of none, an impossible filter) out of a union.
        parts = [part for part in self.parts if not part.query.is_empty()]
        if not page.stop or not parts:
            return []
        first, *others = (part.order_by(*self.ordering)[: page.stop] for part in parts)
        if not others:
            return list(first[page])
        return list(first.union(*others, all=True).order_by(*self.ordering)[page])


class PagedChain:
    """Parts of one list that follow each other (every row of the first, then the second),
    each already ordered: a page reads only the parts it falls in, each limited to its
    share. `sizes`, a function, says how many rows each part has; one that remembers them
    (`public_value`) spares every later page the counting."""

    def __init__(self, parts, sizes):
        self.parts, self._sizes = list(parts), sizes

    @cached_property
    def sizes(self) -> list[int]:
        return self._sizes()

    def count(self) -> int:
        return sum(self.sizes)

    def __len__(self):
        return self.count()

    def __getitem__(self, page: slice) -> list:
        start, stop, rows = page.start or 0, page.stop, []
        for part, size in zip(self.parts, self.sizes, strict=True):
            if stop <= 0:
                break
            if start < size:
                rows += part[start : min(stop, size)]
            start, stop = max(start - size, 0), stop - size
        return rows
