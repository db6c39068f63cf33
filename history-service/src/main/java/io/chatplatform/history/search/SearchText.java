package io.chatplatform.history.search;

import java.lang.Character.UnicodeScript;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Text as search compares it: NFKC, case-folded, accents (combining marks) stripped, each character of the result
 * remembering the range of the original text it came from, so that matches found in the folded text can be
 * highlighted in the original. Normalised one code point at a time: a letter followed by a combining accent folds to
 * the plain letter either way; what this does not do is compose conjoining Hangul jamo into syllables (Korean text is
 * stored precomposed in practice).
 */
public final class SearchText {

    private final String folded;
    private final int[] originStart;
    private final int[] originEnd;

    private SearchText(String folded, int[] originStart, int[] originEnd) {
        this.folded = folded;
        this.originStart = originStart;
        this.originEnd = originEnd;
    }

    public static SearchText of(String original) {
        StringBuilder out = new StringBuilder(original.length());
        int[] start = new int[original.length() * 2 + 4];
        int[] end = new int[start.length];
        int i = 0;
        boolean accentedScript = false;
        while (i < original.length()) {
            int cp = original.codePointAt(i);
            int next = i + Character.charCount(cp);
            String piece;
            if (isMark(cp)) { // a combining mark stored apart from its letter: dropped as in fold()
                piece = accentedScript ? "" : new String(Character.toChars(cp));
            } else {
                piece = fold(new String(Character.toChars(cp)));
                accentedScript = isAccentedScript(cp);
            }
            if (piece.isEmpty() && out.length() > 0) {
                end[out.length() - 1] = next; // a dropped accent belongs to the letter before it
            }
            for (int k = 0; k < piece.length(); k++) {
                if (out.length() == start.length) {
                    start = java.util.Arrays.copyOf(start, start.length * 2);
                    end = java.util.Arrays.copyOf(end, end.length * 2);
                }
                start[out.length()] = i;
                end[out.length()] = next;
                out.append(piece.charAt(k));
            }
            i = next;
        }
        return new SearchText(out.toString(), start, end);
    }

    /**
     * The folded form of a whole string. Accents are dropped only from Latin, Greek and Cyrillic letters: elsewhere a
     * combining mark is part of the letter (Japanese dakuten: ガ is not カ; Indic vowel signs).
     */
    public static String fold(String text) {
        String compatible = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        String decomposed = Normalizer.normalize(compatible, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        boolean accentedScript = false;
        for (int i = 0; i < decomposed.length(); ) {
            int cp = decomposed.codePointAt(i);
            i += Character.charCount(cp);
            if (isMark(cp)) {
                if (!accentedScript) {
                    out.appendCodePoint(cp);
                }
                continue;
            }
            accentedScript = isAccentedScript(cp);
            out.appendCodePoint(cp);
        }
        return Normalizer.normalize(out, Normalizer.Form.NFC);
    }

    private static boolean isAccentedScript(int cp) {
        UnicodeScript script = UnicodeScript.of(cp);
        return script == UnicodeScript.LATIN || script == UnicodeScript.GREEK || script == UnicodeScript.CYRILLIC;
    }

    private static boolean isMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    public String folded() {
        return folded;
    }

    /** The original range {@code [start, end)} (UTF-16 indices) that folded characters {@code [from, to)} came from. */
    public int[] originalRange(int from, int to) {
        return new int[] {originStart[from], originEnd[to - 1]};
    }
}
