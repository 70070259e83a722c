// Pagefind's default UI in the header of every page.
window.addEventListener("DOMContentLoaded", function () {
  if (window.PagefindUI) new PagefindUI({ element: "#search", showSubResults: false, showImages: false });
});
