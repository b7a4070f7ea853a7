// Wagtail's listing search and its sidebar search are both unnamed search landmarks, which
// screen readers list as two identical "search" regions (axe: landmark-unique). This names
// the listing's own.
const listingSearch = document.querySelector("form.w-slim-header__search-form[role=search]");
if (listingSearch) listingSearch.setAttribute("aria-label", "Search sections");
