package io.chatplatform.history.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The terms a message is stored with and the highlights a query gets, without a store. */
class SearchTermsTest {

    @Test
    void chineseIsIndexedAsCharactersAndBigrams() {
        assertEquals(List.of("你", "你好", "好", "好世", "世", "世界", "界"), SearchTerms.index("你好世界"));
        assertEquals(List.of("世界"), query("世界"));
        assertEquals(List.of("世"), query("世"), "one character is looked up as itself");
    }

    @Test
    void otherScriptsAreIndexedAsWordPrefixesFoldedAndWithoutAccents() {
        assertEquals(List.of("cr", "cre", "crem", "creme", "br", "bru", "brul", "brule", "brulee"),
                SearchTerms.index("Crème Brûlée"));
        assertEquals(List.of("creme", "bru"), query("CREME bRû"));
        assertEquals(List.of(), query("a"), "a single letter looks up nothing");
        assertTrue(SearchTerms.index("ｆｕｌｌｗｉｄｔｈ").contains("fullwidth"), "NFKC folds full-width letters");
    }

    @Test
    void decomposedAccentsFoldLikeComposedOnesAndJapaneseKeepsItsVoicingMarks() {
        String decomposed = "Cafe\u0301 cre\u0300me";
        List<int[]> ranges = matcher("café crème").highlights(decomposed);
        assertEquals(List.of("Cafe\u0301", "cre\u0300me"), ranges.stream().map(r -> decomposed.substring(r[0], r[1])).toList());
        assertEquals(List.of(), matcher("カイド").highlights("ガイド"), "ガ is not カ");
        assertEquals(1, matcher("ガイド").highlights("旅行ガイド").size());
    }

    @Test
    void aMixedRunSplitsAtTheScriptBoundary() {
        List<SearchTerms.Part> parts = SearchTerms.parts(SearchText.of("Quarkus入门ガイド 2026").folded());
        assertEquals(List.of("quarkus", "入门ガイド", "2026"), parts.stream().map(SearchTerms.Part::text).toList());
    }

    @Test
    void highlightsAreRangesOfTheOriginalBody() {
        String body = "Meet at the Café, café au lait";
        List<int[]> ranges = matcher("cafe").highlights(body);
        assertEquals(List.of("Café", "café"), ranges.stream().map(r -> body.substring(r[0], r[1])).toList());

        String cjk = "我们明天在东京见面，东京很大";
        assertEquals(List.of("东京", "东京"), matcher("东京").highlights(cjk).stream()
                .map(r -> cjk.substring(r[0], r[1])).toList());
    }

    @Test
    void everyWordMustMatchAndOtherWordsOnlyAtTheirStart() {
        assertEquals(List.of(), matcher("cafe bar").highlights("café only"));
        assertEquals(List.of(), matcher("ring").highlights("during the day"), "a word prefix, not any substring");
        assertEquals(1, matcher("dur").highlights("during the day").size());
        assertEquals(List.of(), matcher("世界和平").highlights("世界很大，和平"), "CJK: the whole run, contiguous");
    }

    @Test
    void charactersOutsideTheBasicPlaneKeepTheirRanges() {
        String body = "😀 𠀀𠀁 ok";
        List<int[]> ranges = matcher("𠀀𠀁").highlights(body);
        assertEquals(List.of("𠀀𠀁"), ranges.stream().map(r -> body.substring(r[0], r[1])).toList());
    }

    private static List<String> query(String q) {
        return SearchTerms.query(SearchTerms.parts(SearchText.of(q).folded()));
    }

    private static SearchMatcher matcher(String q) {
        return new SearchMatcher(SearchTerms.parts(SearchText.of(q).folded()));
    }
}
