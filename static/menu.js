// A progressive extra for the <details> menu, which works without it: Escape, or a tap
// anywhere else, closes an open drop-down (Escape returns focus to its heading).
document.documentElement.classList.add("js");
document.addEventListener("click", (event) => {
  for (const open of document.querySelectorAll("details.dropdown[open]")) {
    if (!open.contains(event.target)) open.open = false;
  }
});
document.addEventListener("keydown", (event) => {
  const open = event.key === "Escape" && document.querySelector("details.dropdown[open]");
  if (open) {
    open.open = false;
    open.querySelector("summary").focus();
  }
});
