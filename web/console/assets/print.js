// The case sheet's print button (scripts come from the console's own files only).
document.getElementById('print-sheet')?.addEventListener('click', () => window.print());
