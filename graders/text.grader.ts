/**
 * Family N (text features): public checks. The notes' worked example ([Training] "Bag of words"
 * and "TF-IDF": the three sentences, the vocabulary and: 0 … weather: 8, the BoW matrix X, the TF
 * column 2/14, IDF and TF-IDF by the stated formula, worked by hand in fixtures/text.fixtures.ts),
 * with erratum 1 (the tables' IDF divides N by the total count) as a named mistake; then random
 * documents and count matrices, whose expected values follow from the definitions (the grader
 * knows the words it wrote), and relations that need no reference: a word in every document has
 * IDF 0, l2 rows have norm 1 and point the way the unnormalised rows do.
 */
import fc from 'fast-check';
import { bagOfWordsExample, documentFrequencyExample, documents, idfErratum, idfExample, oneHotX1, termFrequencyExample, tfidfErratum, tfidfExample, tokensX3, vocabularyExample, X } from '../fixtures/text.fixtures.ts';
import { matrixOf } from './engine/arbitraries.ts';
import { callText, EXACT, example, expectClose, expectThat, FLOAT64, property } from './engine/checks.ts';
import { scaled, type Variants } from './engine/diagnose.ts';
import type { Check, FamilyGrader, StudentModule } from './engine/types.ts';

type Mat = number[][];
type S = StudentModule;

// ---------------------------------------------------------------------------------------------
// mistakes the reports name (the hidden checks use the same labels)

export const MISTAKES = {
  punctuationKept: 'punctuation kept in tokens ("shining," is not the word "shining"): delete every character that is not a letter, a digit or whitespace',
  caseKept: 'tokens not lower-cased ("The" and "the" are one word)',
  punctuationSplits: 'punctuation turned into a space ("don\'t" → don, t) instead of deleted ("dont")',
  unsorted: 'the vocabulary in the order words first appear instead of sorted',
  binary: 'presence (0/1) instead of counts: a word that occurs twice in a document counts 2',
  resorted: 'columns in sorted order instead of the order of the vocabulary you are given',
  tfNotDivided: 'TF not divided by the document length (the raw count)',
  tfByV: 'TF divided by the vocabulary size instead of the number of words in the document',
  dfTotal: 'df counted with repetitions: the total count Σ_d X[d][j] (the notes\' "Word Freq in Doc" column, erratum 1) instead of the number of documents containing the word',
  idfTotal: "erratum 1: IDF from the word's total count, log(N / Σ_d X[d][j]), as the notes' TF-IDF table prints it, instead of the stated log(N / df)",
  ln: 'ln where the notes use log10 (log10 unless options.log is \'ln\')',
  inverted: 'log(df/N) instead of log(N/df)',
  smoothNoOne: 'smoothed idf without the + 1: log((1 + N)/(1 + df)) instead of log((1 + N)/(1 + df)) + 1',
  logIgnored: "options.log ignored: log10 where 'ln' was asked for",
  sublinearLog10: 'sublinear tf with log10: 1 + ln(count) always uses the natural log',
  l2BeforeIdf: 'the tf rows normalised before multiplying by idf: normalise the TF-IDF rows',
} as const;

// ---------------------------------------------------------------------------------------------
// definitions the checks compute from (no reference)

const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
const norm = (v: number[]) => Math.sqrt(sum(v.map((a) => a * a)));
const columns = (B: Mat) => B[0].map((_, j) => B.map((row) => row[j]));
const dfOf = (B: Mat) => columns(B).map((c) => c.filter((v) => v > 0).length);
/** Each word's total count over all documents (erratum 1's table divides N by it). */
export const totalOf = (B: Mat) => columns(B).map(sum);
const tfOf = (B: Mat) => B.map((row) => row.map((c) => (sum(row) === 0 ? 0 : c / sum(row))));
const lgOf = (log: string | undefined) => (log === 'ln' ? Math.log : Math.log10);

export interface TextOptions {
  log?: 'log10' | 'ln';
  smooth?: boolean;
  tf?: 'relative' | 'raw' | 'sublinear';
  norm?: 'none' | 'l2';
}
/** idf by the stated formula (and its options) from document frequencies df of N documents. */
export const idfFrom = (df: number[], N: number, o: TextOptions = {}) => df.map((n) => (o.smooth ? lgOf(o.log)((1 + N) / (1 + n)) + 1 : lgOf(o.log)(N / n)));
const l2Rows = (W: Mat) => W.map((row) => (norm(row) === 0 ? row : row.map((v) => v / norm(row))));
/** TF-IDF by the catalogue's formulas, with `sublinearLog` and `idf` replaceable to build the variants. */
export function tfidfFrom(B: Mat, o: TextOptions = {}, idf = idfFrom(dfOf(B), B.length, o), sublinearLog = Math.log): Mat {
  const tf = o.tf === 'raw' ? B : o.tf === 'sublinear' ? B.map((row) => row.map((c) => (c > 0 ? 1 + sublinearLog(c) : 0))) : tfOf(B);
  const W = tf.map((row) => row.map((t, j) => t * idf[j]));
  return o.norm === 'l2' ? l2Rows(W) : W;
}

// ---------------------------------------------------------------------------------------------
// generated documents: the grader writes the words, so it knows the tokens

/**
 * Words of a small pool: prefixes of each other (the, then, there), digits that sort before
 * letters and "10" before "2", and words with punctuation inside (don't, well-known, U.S.).
 */
const POOL = ['the', 'then', 'there', 'sun', 'is', 'a', 'and', 'one', 'two', '2', '10', 'x9', 'weather', "don't", 'well-known', 'u.s.'];
const EDGE = ['', '', '', '', ',', '.', '!', '?', ';', ':', '"', "'", '(', ')', '...'];
const GAP = [' ', ' ', ' ', '  ', '\t', '\n', ' - ', ' , '];
export interface Written {
  /** the document's text */
  text: string;
  /** its pieces between whitespace, as written (for the variants) */
  pieces: string[];
  /** its tokens by the contract */
  tokens: string[];
}
const spell = (w: string, caps: number) => (caps === 0 ? w : caps === 1 ? w[0].toUpperCase() + w.slice(1) : w.toUpperCase());
const tokenOf = (piece: string) => piece.toLowerCase().replace(/[^a-z0-9\s]/g, '');
export const writtenDocument = (maxWords = 10): fc.Arbitrary<Written> =>
  fc.array(fc.tuple(fc.constantFrom(...POOL), fc.integer({ min: 0, max: 2 }), fc.constantFrom(...EDGE), fc.constantFrom(...EDGE), fc.constantFrom(...GAP)), { maxLength: maxWords }).map((ws) => {
    const text = ws.map(([w, caps, before, after, gap]) => before + spell(w, caps) + after + gap).join('');
    const pieces = text.split(/\s+/).filter((p) => p.length > 0);
    return { text, pieces, tokens: pieces.map(tokenOf).filter((t) => t.length > 0) };
  });
export const writtenCorpus = (maxDocs = 6): fc.Arbitrary<Written[]> => fc.array(writtenDocument(), { minLength: 1, maxLength: maxDocs });
const sortedUnique = (ws: string[]) => [...new Set(ws)].sort();
const firstSeen = (ws: string[]) => [...new Set(ws)];
/** A vocabulary in shuffled order: some words of the corpus, some of the pool that it may not use. */
export const shuffledVocabulary = (docs: Written[]): fc.Arbitrary<string[]> =>
  fc.shuffledSubarray([...new Set([...docs.flatMap((d) => d.tokens), ...POOL.map(tokenOf)])], { minLength: 1 });
const countsWith = (tokens: string[], vocabulary: string[]) => vocabulary.map((w) => tokens.filter((t) => t === w).length);

/**
 * Count matrices: N = 1 … 6 documents, V = 1 … 7 words, counts 0 … 6 (empty documents included);
 * `everyWord` puts each word in at least one document (df ≥ 1, as for a vocabulary built from the
 * corpus: log(N/df) is finite).
 */
export const countMatrix = ({ everyWord = true } = {}): fc.Arbitrary<Mat> =>
  fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 7 })).chain(([N, V]) => matrixOf(N, V, fc.integer({ min: 0, max: 6 }))).map((B) =>
    everyWord ? B.map((row, d) => row.map((c, j) => (B.every((r) => r[j] === 0) && d === j % B.length ? 1 + (j % 3) : c))) : B,
  );
export const textOptions: fc.Arbitrary<TextOptions> = fc.record({
  log: fc.constantFrom('log10' as const, 'ln' as const),
  smooth: fc.boolean(),
  tf: fc.constantFrom('relative' as const, 'raw' as const, 'sublinear' as const),
  norm: fc.constantFrom('none' as const, 'l2' as const),
});

async function matrixFrom(s: S, name: string, args: unknown[], rows: number, cols: number): Promise<Mat> {
  const r = await s.call(name, args);
  expectThat(Array.isArray(r) && r.length === rows && r.every((row) => Array.isArray(row) && row.length === cols), `${callText(name, args)} must return ${rows} rows of ${cols} numbers`, r);
  return r as Mat;
}

// ---------------------------------------------------------------------------------------------
// N1 — tokenize, buildVocabulary

const punctuationText = "Don't stop - the SUN's (well-known) 2 suns!!";
const tokenizeChecks: Check[] = [
  example({
    id: 'N1.tokenize.example', exercise: 'tokenize', catalogue: 'N1',
    title: 'x^[3] = "The sun is shining, the weather is sweet, and one and one is two": 14 tokens, lower-case, without commas',
    hint: 'N1: lower-case, delete punctuation, split at whitespace ([Training] "Bag of words"; TF(the, x^[3]) = 2/14 counts 14 words)',
    args: [tokensX3.input.document], expected: tokensX3.expected,
    variants: {
      [MISTAKES.punctuationKept]: tokensX3.input.document.toLowerCase().split(/\s+/),
      [MISTAKES.caseKept]: tokensX3.input.document.replace(/,/g, '').split(/\s+/),
    },
  }),
  example({
    id: 'N1.tokenize.punctuation', exercise: 'tokenize', catalogue: 'N1',
    title: `${JSON.stringify(punctuationText)}: ["dont", "stop", "the", "suns", "wellknown", "2", "suns"] (punctuation deleted, a lone "-" is no token)`,
    hint: 'N1: delete every character that is not a letter, a digit or whitespace: the apostrophe of "don\'t" goes, it does not split the word',
    args: [punctuationText], expected: ['dont', 'stop', 'the', 'suns', 'wellknown', '2', 'suns'],
    variants: {
      [MISTAKES.punctuationSplits]: ['don', 't', 'stop', 'the', 'sun', 's', 'well', 'known', '2', 'suns'],
      [MISTAKES.punctuationKept]: ["don't", 'stop', '-', 'the', "sun's", '(well-known)', '2', 'suns!!'],
    },
  }),
  property({
    id: 'N1.tokenize.random', exercise: 'tokenize', catalogue: 'N1', numRuns: 80,
    title: 'random documents (mixed case, punctuation at the edges and inside words, tabs and newlines): the tokens the grader wrote',
    hint: 'N1: lower-case, delete punctuation, split at any run of whitespace, drop empty tokens',
    arbitrary: writtenDocument(),
    verify: async (doc, s) => {
      const r = await s.call('tokenize', [doc.text]);
      expectClose(r, doc.tokens, FLOAT64, callText('tokenize', [doc.text]), {
        [MISTAKES.punctuationKept]: doc.pieces.map((p) => p.toLowerCase()),
        [MISTAKES.caseKept]: doc.pieces.map((p) => p.replace(/[^A-Za-z0-9]/g, '')).filter((t) => t.length > 0),
        [MISTAKES.punctuationSplits]: doc.text.toLowerCase().split(/[^a-z0-9]+/).filter((t) => t.length > 0),
      });
    },
  }),
];

const vocabularyChecks: Check[] = [
  example({
    id: 'N1.buildVocabulary.example', exercise: 'buildVocabulary', catalogue: 'N1',
    title: "the notes' three sentences: [and, is, one, shining, sun, sweet, the, two, weather] (and: 0 … weather: 8)",
    hint: 'N1: the unique tokens of ALL documents, sorted ([Training] "Bag of words — 2) construct a vocabulary of all unique words")',
    args: [documents], expected: vocabularyExample.expected,
    variants: { [MISTAKES.unsorted]: ['the', 'sun', 'is', 'shining', 'weather', 'sweet', 'and', 'one', 'two'] },
  }),
  property({
    id: 'N1.buildVocabulary.random', exercise: 'buildVocabulary', catalogue: 'N1', numRuns: 60,
    title: 'random corpora: the sorted unique tokens (JavaScript\'s default sort: "10" < "2" < "a" < "and"; the < then < there)',
    hint: 'N1: tokenize every document, keep each word once, sort with the default sort (UTF-16 code units)',
    arbitrary: writtenCorpus(),
    verify: async (docs, s) => {
      const args = [docs.map((d) => d.text)];
      const tokens = docs.flatMap((d) => d.tokens);
      expectClose(await s.call('buildVocabulary', args), sortedUnique(tokens), FLOAT64, callText('buildVocabulary', args), { [MISTAKES.unsorted]: firstSeen(tokens) });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// N2, N3 — bagOfWords, oneHot

const bagChecks: Check[] = [
  example({
    id: 'N2.bagOfWords.example', exercise: 'bagOfWords', catalogue: 'N2',
    title: "the notes' sentences and vocabulary: X = [[0,1,0,1,1,0,1,0,0], [0,1,0,0,0,1,1,0,1], [2,3,2,1,1,1,2,1,1]]",
    hint: 'N2: X[d][j] counts the tokens of document d equal to vocabulary[j]; rows are documents, columns words ([Training] "Bag of words — 3)")',
    // EXACT: counts are integers
    args: [documents, vocabularyExample.expected], expected: bagOfWordsExample.expected, tol: EXACT,
    variants: { [MISTAKES.binary]: bagOfWordsExample.expected.map((row) => row.map((c) => (c > 0 ? 1 : 0))) },
  }),
  property({
    id: 'N2.bagOfWords.given-order', exercise: 'bagOfWords', catalogue: 'N2', numRuns: 60,
    title: 'random corpora with a shuffled vocabulary (words the corpus lacks, and corpus words it lacks): column j counts vocabulary[j]',
    hint: 'N2: column j is the word vocabulary[j] in the order given, not re-sorted; tokens outside the vocabulary are ignored',
    arbitrary: writtenCorpus().chain((docs) => fc.tuple(fc.constant(docs), shuffledVocabulary(docs))),
    verify: async ([docs, vocabulary], s) => {
      const args = [docs.map((d) => d.text), vocabulary];
      const B = await matrixFrom(s, 'bagOfWords', args, docs.length, vocabulary.length);
      const expected = docs.map((d) => countsWith(d.tokens, vocabulary));
      const sorted = [...vocabulary].sort();
      // EXACT: counts are integers
      expectClose(B, expected, EXACT, callText('bagOfWords', args), {
        [MISTAKES.resorted]: docs.map((d) => countsWith(d.tokens, sorted)),
        [MISTAKES.binary]: expected.map((row) => row.map((c) => (c > 0 ? 1 : 0))),
      });
    },
  }),
];

const oneHotChecks: Check[] = [
  example({
    id: 'N3.oneHot.example', exercise: 'oneHot', catalogue: 'N3',
    title: "x^[1]'s tokens [the, sun, is, shining] with the notes' vocabulary: ones in columns 6, 4, 1, 3",
    hint: 'N3: row t is 1 in the column j with vocabulary[j] = tokens[t] and 0 elsewhere ([Training] "One Hot Encoding")',
    // EXACT: entries are 0 and 1
    args: [oneHotX1.input.tokens, oneHotX1.input.vocabulary], expected: oneHotX1.expected, tol: EXACT,
  }),
  property({
    id: 'N3.oneHot.random', exercise: 'oneHot', catalogue: 'N3', numRuns: 60,
    title: 'random tokens of a shuffled vocabulary: row t has a single 1, in the column of tokens[t] in the order given',
    hint: 'N3: the column of a token is its index in the vocabulary you are given (not in a sorted copy)',
    arbitrary: writtenCorpus(3).chain((docs) => shuffledVocabulary(docs)).chain((v) => fc.tuple(fc.constant(v), fc.array(fc.constantFrom(...v), { maxLength: 8 }))),
    verify: async ([vocabulary, tokens], s) => {
      const args = [tokens, vocabulary];
      const H = await matrixFrom(s, 'oneHot', args, tokens.length, vocabulary.length);
      const at = (v: string[]) => tokens.map((t) => v.map((w) => (w === t ? 1 : 0)));
      // EXACT: entries are 0 and 1
      expectClose(H, at(vocabulary), EXACT, callText('oneHot', args), { [MISTAKES.resorted]: at([...vocabulary].sort()) });
    },
  }),
  example({
    id: 'N3.oneHot.unknown-word', exercise: 'oneHot', catalogue: 'N3',
    title: 'a token that is not in the vocabulary ("moon") is an Error naming oneHot',
    hint: 'N3: a word outside the vocabulary has no one-hot vector: throw an Error whose message names oneHot',
    args: [['the', 'moon'], vocabularyExample.expected], throws: true,
  }),
];

// ---------------------------------------------------------------------------------------------
// N4 — termFrequency

const tfVariants = (B: Mat): Variants => ({
  [MISTAKES.tfNotDivided]: B,
  [MISTAKES.tfByV]: B.map((row) => row.map((c) => c / row.length)),
});
const tfChecks: Check[] = [
  example({
    id: 'N4.termFrequency.example', exercise: 'termFrequency', catalogue: 'N4',
    title: "the notes' X: TF rows of x^[1], x^[2] are 1/4 where a word occurs; x^[3] has 14 words, TF(the, x^[3]) = 2/14 = 0.14285714",
    hint: 'N4: TF = (number of repetitions of the word in the document) / (number of words in the document) ([Training] "TF_IDF")',
    args: [X], expected: termFrequencyExample.expected, variants: tfVariants(X),
  }),
  property({
    id: 'N4.termFrequency.random', exercise: 'termFrequency', catalogue: 'N4', numRuns: 60,
    title: 'random count matrices, empty documents included: TF[d][j] = X[d][j] / Σ_k X[d][k], and 0 for a document without words',
    hint: 'N4: divide each count by its row sum (the document length); a row of zeros stays zeros, not NaN',
    arbitrary: countMatrix({ everyWord: false }),
    verify: async (B, s) => {
      const TF = await matrixFrom(s, 'termFrequency', [B], B.length, B[0].length);
      expectClose(TF, tfOf(B), FLOAT64, callText('termFrequency', [B]), tfVariants(B));
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// N5 — documentFrequency, inverseDocumentFrequency

const dfChecks: Check[] = [
  example({
    id: 'N5.documentFrequency.example', exercise: 'documentFrequency', catalogue: 'N5',
    title: "the notes' X: df = [1, 3, 1, 2, 2, 2, 3, 1, 2] (not the tables' total counts [2, 5, 2, 2, 2, 2, 4, 1, 2])",
    hint: 'N5: df_j = the number of documents containing word j, however often it occurs in each ([Training] "TF_IDF")',
    // EXACT: counts of documents are integers
    args: [X], expected: documentFrequencyExample.expected, tol: EXACT,
    variants: { [MISTAKES.dfTotal]: documentFrequencyExample.totalCounts },
  }),
  property({
    id: 'N5.documentFrequency.random', exercise: 'documentFrequency', catalogue: 'N5', numRuns: 60,
    title: 'random count matrices: df_j = #{d : X[d][j] > 0}',
    hint: 'N5: count the rows whose entry in column j is positive, not the entries themselves',
    arbitrary: countMatrix({ everyWord: false }),
    verify: async (B, s) => {
      // EXACT: counts of documents are integers
      expectClose(await s.call('documentFrequency', [B]), dfOf(B), EXACT, callText('documentFrequency', [B]), { [MISTAKES.dfTotal]: totalOf(B) });
    },
  }),
];

const idfVariants = (B: Mat, o: TextOptions = {}): Variants => {
  const [df, N] = [dfOf(B), B.length];
  return {
    [MISTAKES.idfTotal]: idfFrom(totalOf(B), N, o),
    [MISTAKES.ln]: idfFrom(df, N, { ...o, log: 'ln' }),
    [MISTAKES.inverted]: scaled(idfFrom(df, N, o), -1),
    [MISTAKES.logIgnored]: idfFrom(df, N, { ...o, log: 'log10' }),
    ...(o.smooth ? { [MISTAKES.smoothNoOne]: idfFrom(df, N, o).map((v) => v - 1) } : {}),
  };
};
const lnSmooth: TextOptions = { log: 'ln', smooth: true };
const idfChecks: Check[] = [
  example({
    id: 'N5.inverseDocumentFrequency.example', exercise: 'inverseDocumentFrequency', catalogue: 'N5',
    title: "the notes' X: IDF = log10(3/df) = [0.4771, 0, 0.4771, 0.1761, 0.1761, 0.1761, 0, 0.4771, 0.1761] (the table prints −0.2218 for \"is\": erratum 1)",
    hint: 'N5: IDF = log10(N / number of documents containing the word); the notes\' table divides by the total count instead (erratum 1): a word in every document has IDF 0, never a negative one',
    args: [X], expected: idfExample.expected, variants: { ...idfVariants(X), [MISTAKES.idfTotal]: idfErratum },
  }),
  example({
    id: 'N5.inverseDocumentFrequency.options', exercise: 'inverseDocumentFrequency', catalogue: 'N5',
    title: "X with { log: 'ln', smooth: true }: ln(4/(1 + df)) + 1 = [1.6931, 1, 1.6931, 1.2877, …]",
    hint: "N5/N6 variants: smooth is log((1 + N)/(1 + df)) + 1 (scikit-learn's smooth_idf), with the natural log when options.log is 'ln'",
    args: [X, lnSmooth], expected: idfFrom(documentFrequencyExample.expected, 3, lnSmooth), variants: idfVariants(X, lnSmooth),
  }),
  property({
    id: 'N5.inverseDocumentFrequency.random', exercise: 'inverseDocumentFrequency', catalogue: 'N5', numRuns: 80,
    title: 'random count matrices and options: log(N/df), or log((1 + N)/(1 + df)) + 1 when smooth, in log10 or ln',
    hint: 'N5: N is the number of rows, df_j the rows with a positive count in column j; the log is log10 unless options.log is \'ln\'',
    arbitrary: fc.tuple(countMatrix(), textOptions.map(({ log, smooth }) => ({ log, smooth }))),
    verify: async ([B, o], s) => {
      const r = await s.call('inverseDocumentFrequency', [B, o]);
      expectClose(r, idfFrom(dfOf(B), B.length, o), FLOAT64, callText('inverseDocumentFrequency', [B, o]), idfVariants(B, o));
    },
  }),
  property({
    id: 'N5.inverseDocumentFrequency.every-document', exercise: 'inverseDocumentFrequency', catalogue: 'N5', numRuns: 60,
    title: 'a word in every document, however often, has IDF log10(N/N) = 0 (the notes\' table prints negative values for "is" and "the": erratum 1)',
    hint: 'N5: df counts documents, so a word in all N documents has df = N and IDF 0, whatever its total count',
    arbitrary: countMatrix().chain((B) => fc.tuple(fc.constant(B), fc.nat({ max: B[0].length - 1 }))).map(([B, j]) => B.map((row) => row.map((c, i) => (i === j ? Math.max(c, 2) : c)))),
    verify: async (B, s) => {
      const r = await s.call('inverseDocumentFrequency', [B]);
      const everywhere = B[0].map((_, j) => j).filter((j) => B.every((row) => row[j] > 0));
      expectThat(Array.isArray(r) && r.length === B[0].length, `${callText('inverseDocumentFrequency', [B])} must return ${B[0].length} numbers`, r);
      expectClose(everywhere.map((j) => (r as number[])[j]), everywhere.map(() => 0), FLOAT64, `the IDF of the words in every document (columns ${everywhere.join(', ')})`, {
        [MISTAKES.idfTotal]: everywhere.map((j) => Math.log10(B.length / totalOf(B)[j])),
      });
    },
  }),
];

// ---------------------------------------------------------------------------------------------
// N6 — tfidf

const tfidfVariants = (B: Mat, o: TextOptions = {}): Variants => {
  const [df, N] = [dfOf(B), B.length];
  return {
    [MISTAKES.idfTotal]: tfidfFrom(B, o, idfFrom(totalOf(B), N, o)),
    [MISTAKES.ln]: tfidfFrom(B, { ...o, log: 'ln' }),
    [MISTAKES.tfNotDivided]: tfidfFrom(B, { ...o, tf: o.tf === 'relative' || o.tf === undefined ? 'raw' : o.tf }),
    ...(o.smooth ? { [MISTAKES.smoothNoOne]: tfidfFrom(B, o, idfFrom(df, N, o).map((v) => v - 1)) } : {}),
    ...(o.tf === 'sublinear' ? { [MISTAKES.sublinearLog10]: tfidfFrom(B, o, undefined, Math.log10) } : {}),
    ...(o.norm === 'l2' ? { [MISTAKES.l2BeforeIdf]: l2Rows(tfidfFrom(B, { ...o, norm: 'none' }, idf1(B))).map((row) => row.map((v, j) => v * idfFrom(df, N, o)[j])) } : {}),
  };
};
/** idf of 1 everywhere: tfidfFrom(B, o, idf1(B)) is the tf matrix alone. */
const idf1 = (B: Mat) => B[0].map(() => 1);
const tfidfChecks: Check[] = [
  example({
    id: 'N6.tfidf.example', exercise: 'tfidf', catalogue: 'N6',
    title: "the notes' X: TF·log10(3/df); TF-IDF(two, x^[3]) = log10(3)/14 = 0.03408009 (the table's negative weights for \"is\" and \"the\" are erratum 1)",
    hint: 'N6: TF-IDF = TF · IDF with the TF of N4 (count/length) and the stated IDF log10(N/df) of N5 ([Training] "TF_IDF")',
    args: [X], expected: tfidfExample.expected, variants: { ...tfidfVariants(X), [MISTAKES.idfTotal]: tfidfErratum },
  }),
  property({
    id: 'N6.tfidf.random', exercise: 'tfidf', catalogue: 'N6', numRuns: 100,
    title: 'random count matrices and options (log, smooth, tf relative/raw/sublinear, norm none/l2): tf · idf, rows l2-normalised when asked',
    hint: "N6: tf is count/length, the count, or 1 + ln(count) (0 where the count is 0); idf as in N5; norm 'l2' divides each TF-IDF row by its Euclidean norm",
    arbitrary: fc.tuple(countMatrix(), textOptions),
    verify: async ([B, o], s) => {
      const W = await matrixFrom(s, 'tfidf', [B, o], B.length, B[0].length);
      expectClose(W, tfidfFrom(B, o), FLOAT64, callText('tfidf', [B, o]), tfidfVariants(B, o));
    },
  }),
  property({
    id: 'N6.tfidf.l2-norm', exercise: 'tfidf', catalogue: 'N6', numRuns: 60,
    title: "with norm 'l2' every row has Euclidean norm 1 (or is all zeros) and is your norm 'none' row divided by its norm",
    hint: "N6: norm 'l2' scales each TF-IDF row (after multiplying by idf) to length 1; a row of zeros stays zeros",
    arbitrary: fc.tuple(countMatrix(), textOptions),
    verify: async ([B, o], s) => {
      const W = await matrixFrom(s, 'tfidf', [B, { ...o, norm: 'none' }], B.length, B[0].length);
      const L = await matrixFrom(s, 'tfidf', [B, { ...o, norm: 'l2' }], B.length, B[0].length);
      expectClose(L.map((row) => (norm(row) === 0 ? 0 : norm(row))), W.map((row) => (norm(row) === 0 ? 0 : 1)), FLOAT64, "the norms of your tfidf rows with norm 'l2'");
      expectClose(L, l2Rows(W), FLOAT64, "your norm 'l2' rows vs your norm 'none' rows divided by their norms");
    },
  }),
];

export const text: FamilyGrader = {
  id: 'N',
  module: 'text',
  title: 'Text features',
  exercises: [
    { name: 'tokenize', catalogue: 'N1', arity: 1, summary: 'lower-case, punctuation deleted, split at whitespace' },
    { name: 'buildVocabulary', catalogue: 'N1', arity: 1, summary: 'the sorted unique tokens of all documents' },
    { name: 'bagOfWords', catalogue: 'N2', arity: 2, summary: 'X[d][j] = count of vocabulary[j] in document d' },
    { name: 'oneHot', catalogue: 'N3', arity: 2, summary: 'row t: 1 in the column of tokens[t]' },
    { name: 'termFrequency', catalogue: 'N4', arity: 1, summary: 'X[d][j] / Σ_k X[d][k]' },
    { name: 'documentFrequency', catalogue: 'N5', arity: 1, summary: 'the number of documents containing word j' },
    { name: 'inverseDocumentFrequency', catalogue: 'N5', arity: 2, summary: 'log10(N/df), with ln and smoothing as options' },
    { name: 'tfidf', catalogue: 'N6', arity: 2, summary: 'TF · IDF, with raw or sublinear tf and l2 rows as options' },
  ],
  checks: [...tokenizeChecks, ...vocabularyChecks, ...bagChecks, ...oneHotChecks, ...tfChecks, ...dfChecks, ...idfChecks, ...tfidfChecks],
};
