package io.chatplatform.history.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks a candidate message against the query (every word found: a CJK run anywhere, another word at the start of a
 * word) and returns the highlights: the matched ranges of the original body, {@code [start, end)} in UTF-16 indices
 * (what JavaScript's {@code String.slice} takes), sorted, overlaps merged. Empty when the message does not match.
 */
public final class SearchMatcher {

    private final List<SearchTerms.Part> query;

    public SearchMatcher(List<SearchTerms.Part> query) {
        this.query = query;
    }

    public List<int[]> highlights(String body) {
        SearchText text = SearchText.of(body);
        String folded = text.folded();
        List<int[]> ranges = new ArrayList<>();
        for (SearchTerms.Part part : query) {
            boolean found = false;
            int from = 0;
            while (true) {
                int at = folded.indexOf(part.text(), from);
                if (at < 0) {
                    break;
                }
                if (part.cjk() || startsWord(folded, at)) {
                    ranges.add(text.originalRange(at, at + part.text().length()));
                    found = true;
                }
                from = at + 1;
            }
            if (!found) {
                return List.of();
            }
        }
        ranges.sort(Comparator.comparingInt((int[] r) -> r[0]).thenComparingInt(r -> r[1]));
        List<int[]> merged = new ArrayList<>();
        for (int[] r : ranges) {
            int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r[0] <= last[1]) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                merged.add(new int[] {r[0], r[1]});
            }
        }
        return merged;
    }

    private static boolean startsWord(String folded, int at) {
        if (at == 0) {
            return true;
        }
        int before = folded.codePointBefore(at);
        return !SearchTerms.isWordChar(before) || SearchTerms.isCjk(before);
    }
}
