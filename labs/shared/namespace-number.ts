// Namespace links read "uts:[4026531838]"; learners may type the whole link or the digits.
export function namespaceNumber(text: string): string | undefined {
  const match = /^(?:[a-z_]+:\[)?(\d{1,20})\]?$/.exec(text.trim());
  return match?.[1];
}
