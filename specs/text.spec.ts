/**
 * Family N (text features): the reference against the notes' worked example (the three
 * sentences, the 9-word vocabulary, the BoW matrix, TF(the, x^[3]) = 2/14, TF-IDF(two, x^[3]) =
 * 0.03408009) with erratum 1, against an independent, well-kept npm implementation (natural's
 * TfIdf and WordTokenizer, npm `natural` 8.x), against the catalogue's properties, and input
 * validation. TensorFlow.js has no text features: natural is the oracle here.
 *
 * natural's parametrisation (lib/natural/tfidf/tfidf.js), and how it maps onto the reference:
 * - tf(term, d) is the raw count of term in document d: the bag of words X[d][j] (N2), and
 *   tfidf({ tf: 'raw' }) for the tf part;
 * - idf(term) = 1 + ln(N / (1 + df)): neither the notes' log10(N/df) nor scikit-learn's
 *   ln((1 + N)/(1 + df)) + 1, but the latter shifted by a constant:
 *   1 + ln(N/(1 + df)) = [ln((1 + N)/(1 + df)) + 1] − ln((N + 1)/N),
 *   so natural's idf = our inverseDocumentFrequency({ log: 'ln', smooth: true }) − ln((N + 1)/N),
 *   and solving it for df, df = N·e^(1 − idf) − 1, gives natural's document frequencies, from
 *   which the notes' log10(N/df) follows;
 * - tfidf(term, d) = tf · idf, no normalisation; sublinear tf and the l2 rows are computed on
 *   natural's counts and idf by the formulas of the catalogue;
 * - documents are passed to natural as token arrays: a string would go through natural's own
 *   tokeniser and stop-word list ("the", "is", "and" removed). Its WordTokenizer splits at every
 *   character outside [A-Za-zА-Яа-я0-9_] where ours deletes punctuation ("don't" → don, t vs
 *   dont): the two agree on texts whose punctuation stands at the edges of words, as in the notes,
 *   and the tokeniser check below uses such texts.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bagOfWordsExample, documentFrequencyExample, documents, idfErratum, idfExample, oneHotX1, termFrequencyExample, tfidfErratum, tfidfExample,
  tfidfTwoX3, tfTheX3, tokensX3, vocabularyExample, X,
} from '../fixtures/text.fixtures.ts';
import * as N from '../reference/text.ts';
import { expectAllClose } from './support/expect.ts';
import { FIXTURE_FLOAT64, NPM_FLOAT64 } from './support/tolerances.ts';

const require = createRequire(import.meta.url);
interface NaturalTfIdf {
  addDocument(document: string[]): void;
  idf(term: string): number;
  tfidf(term: string, d: number): number;
}
// the TfIdf module itself: natural's index also loads its storage back-ends (mongoose, pg, redis) and dotenv
const TfIdf = require('natural/lib/natural/tfidf/tfidf') as { new (): NaturalTfIdf; tf(term: string, document: unknown): number };
const { WordTokenizer } = require('natural/lib/natural/tokenizers/regexp_tokenizer') as { WordTokenizer: new () => { tokenize(s: string): string[] } };

type Mat = number[][];
const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
const norm = (v: number[]) => Math.sqrt(sum(v.map((a) => a * a)));
const column = (M: Mat, j: number) => M.map((row) => row[j]);

// ---------------------------------------------------------------------------------------------
// random corpora: words of a small pool (digits, prefixes of each other) in mixed case, with
// punctuation at their edges, separated by runs of whitespace

const POOL = ['the', 'then', 'there', 'sun', 'is', 'a', 'and', 'one', 'two', '2', '10', 'x9', 'weather'];
const EDGE = ['', '', '', ',', '.', '!', '?', ';', ':', '"', "'", '-', '(', ')', '...'];
const word = fc.record({ w: fc.constantFrom(...POOL), caps: fc.constantFrom('lower', 'Title', 'UPPER'), before: fc.constantFrom(...EDGE), after: fc.constantFrom(...EDGE) });
const spelled = (t: { w: string; caps: string; before: string; after: string }) =>
  t.before + (t.caps === 'UPPER' ? t.w.toUpperCase() : t.caps === 'Title' ? t.w[0].toUpperCase() + t.w.slice(1) : t.w) + t.after;
/** A document: its words (the tokens by construction) and its text. */
const documentOf = (minWords: number) =>
  fc.array(fc.tuple(word, fc.constantFrom(' ', '  ', '\t', '\n', ' - ')), { minLength: minWords, maxLength: 12 }).map((ws) => ({
    tokens: ws.map(([t]) => t.w),
    text: ws.map(([t, gap]) => spelled(t) + gap).join(''),
  }));
const corpus = (minWords = 0) => fc.array(documentOf(minWords), { minLength: 1, maxLength: 8 });

// ---------------------------------------------------------------------------------------------

describe("text: the notes' worked example ([Training] Bag of words, TF-IDF)", () => {
  it(`${tokensX3.id}: x^[3] has 14 tokens, lower-case, without the commas`, () => {
    expect(N.tokenize(tokensX3.input.document)).toEqual(tokensX3.expected);
  });

  it(`${vocabularyExample.id}: the sorted vocabulary and: 0 … weather: 8`, () => {
    expect(N.buildVocabulary(documents)).toEqual(vocabularyExample.expected);
    expect(N.buildVocabulary(documents).indexOf('weather')).toBe(8);
  });

  it(`${bagOfWordsExample.id}: X = [[0,1,0,1,1,0,1,0,0], [0,1,0,0,0,1,1,0,1], [2,3,2,1,1,1,2,1,1]]`, () => {
    expect(N.bagOfWords(documents, vocabularyExample.expected)).toEqual(bagOfWordsExample.expected);
  });

  it(`${oneHotX1.id}: the one-hot rows of x^[1] add up to its row of X`, () => {
    const H = N.oneHot(oneHotX1.input.tokens, oneHotX1.input.vocabulary);
    expect(H).toEqual(oneHotX1.expected);
    expect(H[0].map((_, j) => sum(column(H, j)))).toEqual(X[0]);
  });

  it(`${termFrequencyExample.id}: TF = X[d][j]/|x^[d]|; TF(the, x^[3]) = 2/14, printed ${tfTheX3.printed}`, () => {
    const TF = N.termFrequency(X);
    expectAllClose(TF, termFrequencyExample.expected, FIXTURE_FLOAT64);
    expect(TF[tfTheX3.document][tfTheX3.column]).toBeCloseTo(Number(tfTheX3.printed), 8);
  });

  it(`${documentFrequencyExample.id}: df = [1, 3, 1, 2, 2, 2, 3, 1, 2], not the tables' total counts [2, 5, 2, 2, 2, 2, 4, 1, 2]`, () => {
    expect(N.documentFrequency(X)).toEqual(documentFrequencyExample.expected);
    expect(X[0].map((_, j) => sum(column(X, j)))).toEqual(documentFrequencyExample.totalCounts);
  });

  it(`${idfExample.id}: IDF = log10(3/df); erratum 1: the printed column is log10(3/total count), negative for "is" and "the"`, () => {
    const idf = N.inverseDocumentFrequency(X);
    expectAllClose(idf, idfExample.expected, FIXTURE_FLOAT64);
    const printed = idfExample.erratum!.printed as number[];
    // the printed values are log10(3/total count) at the table's precision (7–8 decimals) …
    printed.forEach((p, j) => expect(idfErratum[j]).toBeCloseTo(p, 7));
    // … and not the stated formula: and, is, one, the differ by ≥ 0.12; the others coincide (df = total count)
    const differs = printed.map((p, j) => Math.abs(p - idf[j]) > 0.1);
    expect(vocabularyExample.expected.filter((_, j) => differs[j])).toEqual(['and', 'is', 'one', 'the']);
    expect(Math.min(...idf)).toBe(0);
    expect(printed.filter((p) => p < 0)).toHaveLength(2);
  });

  it(`${tfidfExample.id}: TF-IDF = TF·IDF; TF-IDF(two, x^[3]) = log10(3)/14, printed ${tfidfTwoX3.printed}; the printed table is TF times erratum 1's IDF`, () => {
    const W = N.tfidf(X);
    expectAllClose(W, tfidfExample.expected, FIXTURE_FLOAT64);
    expect(W[tfidfTwoX3.document][tfidfTwoX3.column]).toBeCloseTo(Number(tfidfTwoX3.printed), 8);
    const printed = Object.values(tfidfExample.erratum!.printed as Record<string, number[]>);
    printed.forEach((row, d) => row.forEach((p, j) => expect(tfidfErratum[d][j]).toBeCloseTo(p, 8)));
    // "two" is the one word of x^[3] on which the table and the formula agree away from df = 2
    expect(printed[2][7]).toBeCloseTo(W[2][7], 8);
    expect(Math.abs(printed[2][0] - W[2][0])).toBeGreaterThan(0.04);
  });

  it('the variants on X: ln, smoothed idf ln(4/(1 + df)) + 1, raw and sublinear tf, l2 rows (by hand)', () => {
    const df = documentFrequencyExample.expected;
    expectAllClose(N.inverseDocumentFrequency(X, { log: 'ln' }), df.map((n) => Math.log(3 / n)), FIXTURE_FLOAT64);
    expectAllClose(N.inverseDocumentFrequency(X, { log: 'ln', smooth: true }), df.map((n) => Math.log(4 / (1 + n)) + 1), FIXTURE_FLOAT64);
    expectAllClose(N.inverseDocumentFrequency(X, { smooth: true }), df.map((n) => Math.log10(4 / (1 + n)) + 1), FIXTURE_FLOAT64);
    // x^[3], raw tf and the stated idf: and 2·log10 3, is 3·0, …
    expectAllClose(N.tfidf(X, { tf: 'raw' })[2], X[2].map((c, j) => c * Math.log10(3 / df[j])), FIXTURE_FLOAT64);
    // sublinear: and, one (count 2) → 1 + ln 2; is (count 3) → 1 + ln 3, times idf 0
    expectAllClose(N.tfidf(X, { tf: 'sublinear', log: 'ln' })[2], X[2].map((c, j) => (1 + Math.log(c)) * Math.log(3 / df[j])), FIXTURE_FLOAT64);
    // x^[1]: shining and sun 0.25·log10 1.5 each, is and the 0: the l2 row is 1/√2 on shining and sun
    expectAllClose(N.tfidf(X, { norm: 'l2' })[0], [0, 0, 0, Math.SQRT1_2, Math.SQRT1_2, 0, 0, 0, 0], FIXTURE_FLOAT64);
  });
});

// ---------------------------------------------------------------------------------------------

describe("text vs natural's TfIdf and WordTokenizer (npm natural, mapped as in the header)", () => {
  /** natural's model of a corpus given as token arrays (no tokeniser, no stop words). */
  const natural = (docs: string[][]) => {
    const t = new TfIdf();
    for (const d of docs) t.addDocument(d);
    return t;
  };
  const naturalTf = (docs: string[][], vocabulary: string[]) => docs.map((d) => {
    const counts: Record<string, number> = {};
    for (const w of d) counts[w] = (counts[w] ?? 0) + 1;
    return vocabulary.map((w) => TfIdf.tf(w, counts));
  });

  it('N2 bag of words = natural tf(term, d), the raw counts, in the columns of our sorted vocabulary', () =>
    fc.assert(
      fc.property(corpus(), (docs) => {
        const texts = docs.map((d) => d.text);
        const vocabulary = N.buildVocabulary(texts);
        expect(vocabulary).toEqual([...new Set(docs.flatMap((d) => d.tokens))].sort());
        expect(N.bagOfWords(texts, vocabulary)).toEqual(naturalTf(docs.map((d) => d.tokens), vocabulary));
      }),
    ));

  it("N5 natural's idf = ours with { log: 'ln', smooth: true } − ln((N + 1)/N); its df = N·e^(1 − idf) − 1 = ours; log10(N/df) = our default idf", () =>
    fc.assert(
      fc.property(corpus(1), (docs) => {
        const tokens = docs.map((d) => d.tokens);
        const vocabulary = [...new Set(tokens.flat())].sort();
        const bow = N.bagOfWords(docs.map((d) => d.text), vocabulary);
        const nat = natural(tokens);
        const M = docs.length;
        const idfNatural = vocabulary.map((w) => nat.idf(w));
        const shift = Math.log((M + 1) / M);
        expectAllClose(N.inverseDocumentFrequency(bow, { log: 'ln', smooth: true }).map((v) => v - shift), idfNatural, NPM_FLOAT64, 'idf');
        const dfNatural = idfNatural.map((v) => M * Math.exp(1 - v) - 1);
        expectAllClose(N.documentFrequency(bow), dfNatural, NPM_FLOAT64, 'df');
        expectAllClose(N.inverseDocumentFrequency(bow), dfNatural.map((n) => Math.log10(M / n)), NPM_FLOAT64, 'log10(N/df)');
      }),
    ));

  it("N6 natural's tfidf(term, d) = ours with { tf: 'raw', log: 'ln', smooth: true } − count·ln((N + 1)/N); sublinear tf and l2 rows built on natural's numbers", () =>
    fc.assert(
      fc.property(corpus(1), (docs) => {
        const tokens = docs.map((d) => d.tokens);
        const vocabulary = [...new Set(tokens.flat())].sort();
        const bow = N.bagOfWords(docs.map((d) => d.text), vocabulary);
        const nat = natural(tokens);
        const shift = Math.log((docs.length + 1) / docs.length);
        const counts = naturalTf(tokens, vocabulary);
        const raw = N.tfidf(bow, { tf: 'raw', log: 'ln', smooth: true });
        expectAllClose(raw.map((row, d) => row.map((v, j) => v - counts[d][j] * shift)), tokens.map((_, d) => vocabulary.map((w) => nat.tfidf(w, d))), NPM_FLOAT64, 'raw tf');
        const idf = vocabulary.map((w) => nat.idf(w) + shift);
        const sublinear = counts.map((row) => row.map((c, j) => (c > 0 ? 1 + Math.log(c) : 0) * idf[j]));
        expectAllClose(N.tfidf(bow, { tf: 'sublinear', log: 'ln', smooth: true }), sublinear, NPM_FLOAT64, 'sublinear tf');
        const l2 = sublinear.map((row) => (norm(row) === 0 ? row : row.map((v) => v / norm(row))));
        expectAllClose(N.tfidf(bow, { tf: 'sublinear', log: 'ln', smooth: true, norm: 'l2' }), l2, NPM_FLOAT64, 'l2 rows');
      }),
    ));

  it("N1 tokenize = natural's WordTokenizer on the lower-cased text where punctuation stands at the edges of words (both split there)", () =>
    fc.assert(
      fc.property(documentOf(0), ({ text, tokens }) => {
        expect(N.tokenize(text)).toEqual(tokens);
        expect(new WordTokenizer().tokenize(text.toLowerCase())).toEqual(tokens);
      }),
    ));

  it("N1 where they differ: an apostrophe or hyphen inside a word is deleted by ours and split at by natural's", () => {
    expect(N.tokenize("Don't stop - well-known")).toEqual(['dont', 'stop', 'wellknown']);
    expect(new WordTokenizer().tokenize("don't stop - well-known")).toEqual(['don', 't', 'stop', 'well', 'known']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('text: properties (catalogue N)', () => {
  const counts = fc.integer({ min: 1, max: 6 }).chain((V) => fc.array(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: V, maxLength: V }), { minLength: 1, maxLength: 7 }));
  /** every column holds a nonzero count somewhere: df ≥ 1, as for a vocabulary built from the corpus */
  const bowArb = counts.filter((B) => B[0].every((_, j) => B.some((row) => row[j] > 0)));
  const options = fc.record({ log: fc.constantFrom('log10' as const, 'ln' as const), smooth: fc.boolean(), tf: fc.constantFrom('relative' as const, 'raw' as const, 'sublinear' as const), norm: fc.constantFrom('none' as const, 'l2' as const) });

  it('N5 a word in every document has IDF 0 under the stated formula (whatever the log), and its TF-IDF column is 0; with smoothing it is 1', () =>
    fc.assert(
      fc.property(bowArb, fc.nat(), fc.constantFrom('log10' as const, 'ln' as const), (B0, k, log) => {
        const j = k % B0[0].length;
        const B = B0.map((row) => row.map((c, i) => (i === j ? Math.max(c, 1) : c)));
        expect(N.inverseDocumentFrequency(B, { log })[j]).toBe(0);
        expect(column(N.tfidf(B, { log }), j).every((v) => v === 0)).toBe(true);
        expect(N.inverseDocumentFrequency(B, { log, smooth: true })[j]).toBe(1);
      }),
    ));

  it('N5 the stated IDF lies in [0, log10 N], decreases as df grows, and is never negative (erratum 1 prints negative values)', () =>
    fc.assert(
      fc.property(bowArb, (B) => {
        const idf = N.inverseDocumentFrequency(B);
        const df = N.documentFrequency(B);
        for (const [j, v] of idf.entries()) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(Math.log10(B.length) + 1e-15);
          for (const [i, w] of idf.entries()) if (df[i] > df[j]) expect(w).toBeLessThan(v);
        }
      }),
    ));

  it('N1–N6 document order does not matter: the same vocabulary, df and idf; rows of X, TF and TF-IDF permuted with the documents', () =>
    fc.assert(
      fc.property(corpus(1).chain((docs) => fc.tuple(fc.constant(docs), fc.shuffledSubarray(docs.map((_, i) => i), { minLength: docs.length, maxLength: docs.length }))), options, ([docs, perm], opt) => {
        const texts = docs.map((d) => d.text);
        const permuted = perm.map((i) => texts[i]);
        const vocabulary = N.buildVocabulary(texts);
        expect(N.buildVocabulary(permuted)).toEqual(vocabulary);
        const B = N.bagOfWords(texts, vocabulary);
        const P = N.bagOfWords(permuted, vocabulary);
        expect(P).toEqual(perm.map((i) => B[i]));
        expect(N.documentFrequency(P)).toEqual(N.documentFrequency(B));
        expect(N.inverseDocumentFrequency(P, opt)).toEqual(N.inverseDocumentFrequency(B, opt));
        // row by row the same operations on the same numbers: bit for bit
        expect(N.tfidf(P, opt)).toEqual(perm.map((i) => N.tfidf(B, opt)[i]));
      }),
    ));

  it("N6 with norm 'l2' every row has Euclidean norm 1, or is all zeros (a document of words in every document, under the stated idf)", () =>
    fc.assert(
      fc.property(bowArb, options, (B, opt) => {
        for (const row of N.tfidf(B, { ...opt, norm: 'l2' })) {
          const n = norm(row);
          if (n !== 0) expect(Math.abs(n - 1)).toBeLessThan(1e-15 * row.length); // ≤ V roundings of ≤ ½ ulp each
        }
        // the l2 row is the unnormalised row scaled: the same direction
        const W = N.tfidf(B, { ...opt, norm: 'none' });
        N.tfidf(B, { ...opt, norm: 'l2' }).forEach((row, d) => expectAllClose(row, norm(W[d]) === 0 ? W[d] : W[d].map((v) => v / norm(W[d])), FIXTURE_FLOAT64));
      }),
    ));

  it('N4 TF rows of documents with words sum to 1; empty documents have TF 0', () =>
    fc.assert(
      fc.property(counts, (B) => {
        N.termFrequency(B).forEach((row, d) => {
          if (sum(B[d]) === 0) expect(row.every((v) => v === 0)).toBe(true);
          else expect(Math.abs(sum(row) - 1)).toBeLessThan(1e-15 * row.length);
        });
      }),
    ));

  it("N3 the one-hot rows of a document's tokens add up to its bag of words; each row has one 1", () =>
    fc.assert(
      fc.property(corpus(), (docs) => {
        const texts = docs.map((d) => d.text);
        const vocabulary = N.buildVocabulary(texts);
        const B = N.bagOfWords(texts, vocabulary);
        texts.forEach((t, d) => {
          const H = N.oneHot(N.tokenize(t), vocabulary);
          expect(H.every((row) => sum(row) === 1 && row.every((v) => v === 0 || v === 1))).toBe(true);
          expect(vocabulary.map((_, j) => sum(column(H, j)))).toEqual(B[d]);
        });
      }),
    ));

  it('N1 tokenize is idempotent on its output joined by spaces, and buildVocabulary is sorted and unique', () =>
    fc.assert(
      fc.property(corpus(), (docs) => {
        for (const d of docs) expect(N.tokenize(N.tokenize(d.text).join(' '))).toEqual(N.tokenize(d.text));
        const v = N.buildVocabulary(docs.map((d) => d.text));
        v.slice(1).forEach((w, i) => expect(v[i] < w).toBe(true));
      }),
    ));
});

// ---------------------------------------------------------------------------------------------

describe('text: invalid input is an error naming the function and the argument', () => {
  it.each([
    [() => N.tokenize(3 as never), /tokenize: argument 'document' must be a string; got number/],
    [() => N.buildVocabulary(['a', null] as never), /buildVocabulary: argument 'documents\[1\]' must be a string; got null/],
    [() => N.bagOfWords(['a b'], ['a', 'b', 'a']), /bagOfWords: argument 'vocabulary' must hold each word once; 'a' appears again at index 2/],
    [() => N.oneHot(['the', 'moon'], vocabularyExample.expected), /oneHot: argument 'tokens' must hold words of the vocabulary; tokens\[1\] = 'moon' is not in it/],
    [() => N.termFrequency([[1, 0.5]]), /termFrequency: argument 'bow' must hold counts \(integers ≥ 0\); got bow\[0\]\[1\] = 0.5/],
    [() => N.documentFrequency([[1, -1]]), /documentFrequency: argument 'bow' must hold counts \(integers ≥ 0\); got bow\[0\]\[1\] = -1/],
    [() => N.documentFrequency([]), /documentFrequency: argument 'bow' must be a non-empty matrix/],
    [() => N.inverseDocumentFrequency([[1, 0], [2, 0]]), /inverseDocumentFrequency: argument 'bow' column 1 is a word in no document: df = 0/],
    [() => N.inverseDocumentFrequency(X, { log: 'log2' } as never), /inverseDocumentFrequency: argument 'options.log' must be 'log10' or 'ln'; got "log2"/],
    [() => N.tfidf(X, { norm: 'l1' } as never), /tfidf: argument 'options.norm' must be 'none' or 'l2'; got "l1"/],
    [() => N.tfidf(X, { tf: 'log' } as never), /tfidf: argument 'options.tf' must be 'relative', 'raw' or 'sublinear'; got "log"/],
  ])('%#', (call, message) => {
    expect(call).toThrowError(message);
  });

  it('a word in no document is fine with smoothing: ln(N + 1) + 1 for df = 0', () => {
    expect(N.inverseDocumentFrequency([[1, 0], [2, 0]], { log: 'ln', smooth: true })).toEqual([Math.log(3 / 3) + 1, Math.log(3) + 1]);
  });
});
