// "Print or save as PDF": the browser's own print dialog (the page has print styles).
export function PrintButton() {
  return (
    <button type="button" className="primary" onClick={() => window.print()}>
      Print or save as PDF
    </button>
  );
}
