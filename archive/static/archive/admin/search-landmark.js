// Wagtail's listing search and its sidebar search are both unnamed search landmarks, which
// screen readers list as two identical "search" regions (axe: landmark-unique). This names
// each listing's own after the page it is on ("Search Corrections", "Search Sections").
const listingSearch = document.querySelector(
  "form.w-slim-header__search-form[role=search]:not([aria-label])",
);
const heading = document.querySelector("h1");
if (listingSearch && heading) {
  listingSearch.setAttribute("aria-label", `Search ${heading.textContent.trim()}`);
}
