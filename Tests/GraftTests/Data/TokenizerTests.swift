import Foundation
import Testing
@testable import GraftData

@Suite struct TokenizerTests {
    let words = WordTokenizer()

    /// A random string of `length` pieces from a pool of letters, digits, marks, spaces and
    /// punctuation in several scripts.
    static func randomText(_ rng: inout TestRandom, length: Int) -> String {
        let pool = ["a", "b", "Z", "é", "e\u{301}", "ß", "ж", "λ", "日", "本", "3", "7", "٣", " ", " ", " ", "\n", "\t", "\r\n",
                    ".", ",", "'", "\u{2019}", "\"", "“", "”", "(", ")", "[", "-", "—", "/", "$", "%", "!", "?", "…",
                    "👍🏽", "🇺🇸", "_", "#", "&", "¿", "+", "\u{301}", "\u{200D}", "\u{0}"]
        return (0..<length).map { _ in pool[Int(rng.next() % UInt64(pool.count))] }.joined()
    }

    @Test func splitsWordsAndPunctuation() {
        #expect(words.tokenize("Hello, world! Don't panic.") == ["Hello", ",", "world", "!", "Don't", "panic", "."])
        #expect(words.tokenize("  \t\n ") == [] && words.tokenize("") == [])
        // Apostrophes join only inside words; at the edges they are tokens of their own.
        #expect(words.tokenize("'quoted' dogs' bone rock'n'roll") == ["'", "quoted", "'", "dogs", "'", "bone", "rock'n'roll"])
        // Decimal points and thousands separators join digits only.
        #expect(words.tokenize("Pi is 3.14, not 1,000. e.g. 3.x")
                == ["Pi", "is", "3.14", ",", "not", "1,000", ".", "e", ".", "g", ".", "3", ".", "x"])
        #expect(words.tokenize("well-known and/or snake_case #1 $5")
                == ["well", "-", "known", "and", "/", "or", "snake", "_", "case", "#", "1", "$", "5"])
    }

    @Test func isUnicodeAware() {
        // A decomposed é (e + combining acute) is one letter; curly apostrophes stay inside words.
        let decomposed = "Cafe\u{301}"
        #expect(words.tokenize("\(decomposed) naïve God’s Ελληνικά русский 日本語。")
                == [decomposed, "naïve", "God’s", "Ελληνικά", "русский", "日本語", "。"])
        #expect(words.tokenize("I ❤️ Swift👍🏽!") == ["I", "❤️", "Swift", "👍🏽", "!"])
        #expect(words.tokenize("“Let there be light,” and") == ["“", "Let", "there", "be", "light", ",", "”", "and"])
        // Non-breaking and ideographic spaces separate words too.
        #expect(words.tokenize("a\u{00A0}b\u{3000}c") == ["a", "b", "c"])
        let lower = WordTokenizer(lowercased: true)
        #expect(lower.tokenize("ÉCOLE Straße ΣΟΦΙΑ Don'T") == ["école", "straße", "σοφια", "don't"])
    }

    @Test func detokenizeAttachesPunctuation() {
        #expect(words.detokenize(["Hello", ",", "world", "!", "Don't", "panic", "."]) == "Hello, world! Don't panic.")
        #expect(words.detokenize(["(", "a", ")", "[", "b", "]", "x", "-", "y", "$", "5", "10", "%"]) == "(a) [b] x-y $5 10%")
        // Straight double quotes alternate between opening and closing.
        #expect(words.detokenize(["he", "said", "\"", "yes", "\"", "and", "\"", "no", "\"", "."]) == "he said \"yes\" and \"no\".")
        // Gluing never merges tokens: word + apostrophe + word, digit + point + digit.
        #expect(words.detokenize(["don", "'", "t"]) == "don' t")
        #expect(words.detokenize(["3", ".", "14"]) == "3. 14")
        #expect(words.detokenize(["3", "-", ",", "000"]) == "3-, 000")
        #expect(words.detokenize([]) == "" && words.detokenize(["", "a", ""]) == "a")
    }

    @Test func wordRoundTripOfNormalisedText() {
        let normalised = [
            "Hello, world! Don't panic.",
            "God said, “Let there be light,” and there was light.",
            "He paid $3.50 for a well-known book/magazine: 40% off!",
            "Café naïve—ok… (really) [sic] {x} 1–3",
            "snake_case and #tags @user ¿qué? ¡sí!",
            "The dogs' bone, the cat’s toy and \"quoted\" words.",
            "Ελληνικά, русский; 日本語。 I ❤️ Swift 👍🏽!",
            "1,000 + 2.5 = 1,002.5",
        ]
        for text in normalised {
            #expect(words.detokenize(words.tokenize(text)) == text)
        }
        let lower = WordTokenizer(lowercased: true)
        #expect(lower.detokenize(lower.tokenize("Don't SHOUT, Σοφία!")) == "don't shout, σοφία!")
    }

    @Test func tokensSurviveDetokenizeOnRandomText() {
        var rng = TestRandom(state: 11)
        for lowercased in [false, true] {
            let tokenizer = WordTokenizer(lowercased: lowercased)
            for _ in 0..<2000 {
                let text = Self.randomText(&rng, length: Int(rng.next() % 30))
                let tokens = tokenizer.tokenize(text)
                let normal = tokenizer.detokenize(tokens)
                #expect(tokenizer.tokenize(normal) == tokens, "text \(text.debugDescription) normalised to \(normal.debugDescription)")
                #expect(tokenizer.detokenize(tokenizer.tokenize(normal)) == normal)
                #expect(tokens.allSatisfy { !$0.isEmpty && !$0.contains(where: \.isWhitespace) })
            }
        }
    }

    @Test func tokensSurviveDetokenizeOnBibleVerses() throws {
        let bytes = try Gzip.readFile(DataLocation.bundledFile("text/kjv_web_aligned.tsv.gz"))
        let rows = String(decoding: bytes, as: UTF8.self).split(separator: "\n").prefix(3000)
        var exact = 0
        for row in rows {
            let columns = row.split(separator: "\t", omittingEmptySubsequences: false)
            try #require(columns.count == 3)
            for verse in columns.dropFirst().map(String.init) {
                let tokens = words.tokenize(verse)
                let normal = words.detokenize(tokens)
                #expect(words.tokenize(normal) == tokens, "\(columns[0]): \(verse)")
                if normal == verse { exact += 1 }
            }
        }
        // Ordinary English prose is already in normalised form almost everywhere.
        #expect(exact >= rows.count * 2 * 99 / 100, "only \(exact) of \(rows.count * 2) verses round-trip exactly")
    }

    @Test func characterTokenizerIsExact() {
        let chars = CharacterTokenizer()
        let family = "👨\u{200D}👩\u{200D}👧"
        #expect(chars.tokenize("e\u{301}\(family) ok") == ["e\u{301}", family, " ", "o", "k"])
        #expect(chars.tokenize("") == [])
        #expect(CharacterTokenizer(lowercased: true).tokenize("ÀB") == ["à", "b"])
        var rng = TestRandom(state: 5)
        for _ in 0..<500 {
            // Any scalars (marks, joiners, controls, surrogate-free planes) round-trip bit for bit.
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int(rng.next() % 40) {
                let v = UInt32(rng.next() % 0x3_0000)
                scalars.append(Unicode.Scalar(v) ?? "\u{FFFD}")
            }
            let text = String(scalars)
            let back = chars.detokenize(chars.tokenize(text))
            #expect(Array(back.unicodeScalars) == Array(text.unicodeScalars))
        }
        let text = TokenizerTests.randomText(&rng, length: 200)
        #expect(Array(chars.detokenize(chars.tokenize(text)).utf8) == Array(text.utf8))
    }
}
