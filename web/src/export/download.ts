/** Offers text as a file download, from the page itself: the data never goes back to a server. */
export const downloadText = (filename: string, text: string, type: string) => {
  // A byte-order mark, so spreadsheets read the file as UTF-8 (names with accents stay whole).
  const url = URL.createObjectURL(new Blob(["\uFEFF", text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
};
