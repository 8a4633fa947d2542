// The threads the benchmark and the profile serve: n comments with the names and lengths
// of the seed article's, in three scripts.
const NAMES = ['Priyanka N', 'Aman W', 'Sarah B', 'Vikram M', 'Kriti O', 'अमन शर्मा', 'ਹਰਪ੍ਰੀਤ ਕੌਰ', 'Zoë L'];
export function comments(n, from = 0) {
  return Array.from({ length: n }, (_, i) => ({
    id: String(from + i + 1),
    author: NAMES[(from + i) % NAMES.length],
    body: `Comment ${from + i + 1}: cooperation on cybersecurity is crucial, and the proof will be in the results on the ground.`,
    created_at: new Date(Date.UTC(2026, 1, 8, 9, 0, 0) + (from + i) * 60_000).toISOString(),
    status: 'published',
  }));
}
