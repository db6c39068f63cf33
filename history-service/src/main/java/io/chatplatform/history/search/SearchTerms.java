package io.chatplatform.history.search;

import java.lang.Character.UnicodeScript;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Splits folded text ({@link SearchText}) into the terms stored with each message and looked up by a query.
 * Chinese, Japanese and Korean have no spaces between words: their runs are indexed as single characters and
 * overlapping pairs (bigrams), so any substring of two or more characters is found through its bigrams. Other
 * scripts are split into words (letters and digits), each indexed with its prefixes of 2 to {@value #MAX_PREFIX}
 * characters, so a query word matches words it begins. A query's terms only select candidates: every hit is then
 * checked against the folded text itself ({@link SearchMatcher}).
 */
public final class SearchTerms {

    /** Longest prefix indexed: a longer query word is looked up by its first this many characters. */
    public static final int MAX_PREFIX = 16;
    /** Most distinct terms stored for one message (a very long message is indexed by its beginning). */
    public static final int MAX_TERMS_PER_MESSAGE = 1024;

    /** A word of a query or text: its folded characters and whether it is a CJK run (matched anywhere). */
    public record Part(String text, boolean cjk, int start) {
    }

    private SearchTerms() {
    }

    /** The terms of a message body, in first-seen order. */
    public static List<String> index(String body) {
        Set<String> terms = new LinkedHashSet<>();
        for (Part part : parts(SearchText.of(body).folded())) {
            if (terms.size() >= MAX_TERMS_PER_MESSAGE) {
                break;
            }
            String s = part.text();
            int length = s.codePointCount(0, s.length());
            if (part.cjk()) {
                int[] cps = s.codePoints().toArray();
                for (int i = 0; i < cps.length; i++) {
                    terms.add(new String(cps, i, 1));
                    if (i + 1 < cps.length) {
                        terms.add(new String(cps, i, 2));
                    }
                }
            } else {
                for (int n = 2; n <= Math.min(length, MAX_PREFIX); n++) {
                    terms.add(s.substring(0, s.offsetByCodePoints(0, n)));
                }
            }
        }
        List<String> list = new ArrayList<>(terms);
        return list.size() > MAX_TERMS_PER_MESSAGE ? list.subList(0, MAX_TERMS_PER_MESSAGE) : list;
    }

    /** The terms a query looks up: each word's prefix (single letters none), each CJK run's bigrams (or its one character). */
    public static List<String> query(List<Part> parts) {
        Set<String> terms = new LinkedHashSet<>();
        for (Part part : parts) {
            String s = part.text();
            int length = s.codePointCount(0, s.length());
            if (part.cjk()) {
                int[] cps = s.codePoints().toArray();
                if (cps.length == 1) {
                    terms.add(s);
                }
                for (int i = 0; i + 1 < cps.length; i++) {
                    terms.add(new String(cps, i, 2));
                }
            } else if (length >= 2) {
                terms.add(s.substring(0, s.offsetByCodePoints(0, Math.min(length, MAX_PREFIX))));
            }
        }
        return new ArrayList<>(terms);
    }

    /** Words and CJK runs of folded text, with their start index in it. */
    public static List<Part> parts(String folded) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < folded.length()) {
            int cp = folded.codePointAt(i);
            if (!isWordChar(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            boolean cjk = isCjk(cp);
            int start = i;
            while (i < folded.length()) {
                int c = folded.codePointAt(i);
                if (!isWordChar(c) || isCjk(c) != cjk) {
                    break;
                }
                i += Character.charCount(c);
            }
            parts.add(new Part(folded.substring(start, i), cjk, start));
        }
        return parts;
    }

    static boolean isWordChar(int cp) {
        return Character.isLetterOrDigit(cp) || isCjk(cp);
    }

    static boolean isCjk(int cp) {
        if (cp == 0x30FC) { // katakana-hiragana prolonged sound mark (script COMMON), part of Japanese words
            return true;
        }
        UnicodeScript script = UnicodeScript.of(cp);
        return script == UnicodeScript.HAN || script == UnicodeScript.HIRAGANA || script == UnicodeScript.KATAKANA
                || script == UnicodeScript.HANGUL;
    }
}
