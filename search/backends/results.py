"""What every search backend's results offer here beyond Wagtail's own API."""


class FacetsMixin:
    """facets(*field_names) -> {field name: OrderedDict(value -> count)}: several facets of
    one search, and its count() alongside, in as few requests as the backend can make. The
    engines answer them all, and the total, in one request; elsewhere, one facet() each."""

    def facets(self, *field_names):
        return {name: self.facet(name) for name in field_names}
