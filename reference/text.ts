/**
 * N. Text features — catalogue family N (N1–N6): tokenisation and a sorted vocabulary, bag of
 * words, one-hot vectors, term frequency, inverse document frequency and TF-IDF, with the real
 * variants of TF-IDF as options.
 *
 * Deck: [Training] "Before RNN — Bag of words" (the three sentences, the vocabulary and the BoW
 * matrix X), "Feature Extraction from words", "One Hot Encoding", "TF_IDF" (TF, IDF and Tf-idf
 * stated in words) and the "TF-IDF" tables. The tables' IDF column is erratum 1 of the catalogue
 * (fixtures/text.fixtures.ts): it divides N by the word's total count over all documents, not by
 * the number of documents that contain it. The reference computes the stated formula.
 *
 * symbol      id          shape      meaning
 * x^[d]       documents   [N]        the documents (strings); N documents
 * V           vocabulary  [V]        the sorted unique words: vocabulary[j] is the word of column j
 *                                    (the notes' {'and': 0, …, 'weather': 8} as a list)
 * X           bow         [N, V]     bag of words: X[d][j] = count of vocabulary[j] in x^[d]
 * |x^[d]|     —           —          words in document d, Σ_j X[d][j]
 * TF          —           [N, V]     X[d][j] / |x^[d]|
 * df          df          [V]        documents containing word j: #{d : X[d][j] > 0}
 * IDF         idf         [V]        log10(N / df_j)
 * TF-IDF      —           [N, V]     TF[d][j] · IDF[j]
 *
 * Conventions:
 * - A token is a maximal run of non-whitespace characters after lower-casing and deleting every
 *   character that is not a letter (\p{L}), a digit (\p{N}) or whitespace: "shining," → "shining",
 *   "Don't" → "dont" (deleted, not split: Python's `s.translate(str.maketrans('', '',
 *   string.punctuation))` does the same for ASCII). A run of punctuation alone yields no token.
 * - The vocabulary is sorted by UTF-16 code units (JavaScript's default sort, Python's sorted()
 *   on these strings): "10" < "2" < "a" < "and".
 * - Words of a document that are not in the vocabulary given are ignored by bagOfWords
 *   (scikit-learn's CountVectorizer.transform does the same); oneHot rejects them.
 * - The variants of N6 (catalogue): natural log; smoothed idf log((1 + N)/(1 + df)) + 1
 *   (scikit-learn's smooth_idf: as if one more document held every word once; the + 1 keeps words
 *   of every document from vanishing); sublinear tf 1 + ln(count) for count > 0 (scikit-learn's
 *   sublinear_tf, always the natural log); raw counts as tf (scikit-learn, natural); and rows
 *   divided by their Euclidean norm (scikit-learn's default norm='l2'; a zero row stays zero).
 * - An empty document (no words) has TF 0 in every column (0/0 is taken as 0, not NaN).
 */
import { ArgumentError, assertMatrix, type Matrix, type Vector } from './tensor.ts';

/** Options of inverseDocumentFrequency (N5) and tfidf (N6); every field is optional. */
export interface IdfOptions {
  /** 'log10' (the notes, the default) or 'ln' (natural log) */
  log?: 'log10' | 'ln';
  /** true: idf = log((1 + N)/(1 + df)) + 1 (scikit-learn's smooth_idf); false (default): log(N/df) */
  smooth?: boolean;
}

/** Options of tfidf (N6): the idf options and the tf scheme and row normalisation. */
export interface TfIdfOptions extends IdfOptions {
  /** 'relative' (default, the notes): count/|x^[d]|; 'raw': the count; 'sublinear': 1 + ln(count) for count > 0, else 0 */
  tf?: 'relative' | 'raw' | 'sublinear';
  /** 'none' (default) or 'l2': each row divided by its Euclidean norm (a zero row stays zero) */
  norm?: 'none' | 'l2';
}

// ---------------------------------------------------------------------------------------------
// validation

function assertText(fn: string, arg: string, x: unknown): asserts x is string {
  if (typeof x !== 'string') throw new ArgumentError(fn, arg, `must be a string; got ${x === null ? 'null' : typeof x}`);
}

function assertDocuments(fn: string, documents: unknown): asserts documents is string[] {
  if (!Array.isArray(documents)) throw new ArgumentError(fn, 'documents', `must be an array of strings; got ${documents === null ? 'null' : typeof documents}`);
  documents.forEach((d, i) => assertText(fn, `documents[${i}]`, d));
}

/** A vocabulary: distinct strings (any order: column j is vocabulary[j]). */
function assertVocabulary(fn: string, vocabulary: unknown): asserts vocabulary is string[] {
  if (!Array.isArray(vocabulary)) throw new ArgumentError(fn, 'vocabulary', `must be an array of words; got ${vocabulary === null ? 'null' : typeof vocabulary}`);
  const seen = new Set<string>();
  vocabulary.forEach((w, j) => {
    assertText(fn, `vocabulary[${j}]`, w);
    if (seen.has(w)) throw new ArgumentError(fn, 'vocabulary', `must hold each word once; '${w}' appears again at index ${j}`);
    seen.add(w);
  });
}

/** A bag of words: a non-empty N×V matrix of counts (integers ≥ 0). */
function assertCounts(fn: string, bow: unknown): asserts bow is Matrix {
  assertMatrix(fn, 'bow', bow);
  bow.forEach((row, d) =>
    row.forEach((c, j) => {
      if (!Number.isInteger(c) || c < 0) throw new ArgumentError(fn, 'bow', `must hold counts (integers ≥ 0); got bow[${d}][${j}] = ${c}`);
    }),
  );
}

function idfOptions(fn: string, options: unknown): Required<IdfOptions> {
  if (options === undefined) return { log: 'log10', smooth: false };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new ArgumentError(fn, 'options', `must be an object; got ${options === null ? 'null' : typeof options}`);
  const { log = 'log10', smooth = false } = options as IdfOptions;
  if (log !== 'log10' && log !== 'ln') throw new ArgumentError(fn, 'options.log', `must be 'log10' or 'ln'; got ${JSON.stringify(log)}`);
  if (typeof smooth !== 'boolean') throw new ArgumentError(fn, 'options.smooth', `must be a boolean; got ${JSON.stringify(smooth)}`);
  return { log, smooth };
}

// ---------------------------------------------------------------------------------------------
// N1 — tokenisation and vocabulary

/**
 * N1 — tokenise: lower-case, delete punctuation (every character that is not a letter, a digit or
 * whitespace), split at whitespace, drop empty strings ([Training] "Before RNN — Bag of words":
 * "The sun is shining," gives the, sun, is, shining; x^[3] has 14 tokens).
 */
export function tokenize(document: string): string[] {
  assertText('tokenize', 'document', document);
  return document
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .split(/\s+/u)
    .filter((t) => t.length > 0);
}

/**
 * N1 — vocabulary: the sorted unique tokens of all documents; column j of the bag of words is
 * vocabulary[j] ([Training] "Bag of words — 2) Based on ALL your data, you would construct a
 * vocabulary of all unique words": {'and': 0, 'is': 1, …, 'weather': 8}).
 */
export function buildVocabulary(documents: string[]): string[] {
  assertDocuments('buildVocabulary', documents);
  return [...new Set(documents.flatMap(tokenize))].sort();
}

// ---------------------------------------------------------------------------------------------
// N2, N3 — bag of words and one-hot

/**
 * N2 — bag of words: X[d][j] = the number of tokens of document d equal to vocabulary[j]; rows are
 * documents, columns the words of the vocabulary in its given order; tokens outside the
 * vocabulary are ignored ([Training] "Bag of words — 3) … X = [[0,1,0,1,1,0,1,0,0],
 * [0,1,0,0,0,1,1,0,1],[2,3,2,1,1,1,2,1,1]]", "Rows are training examples, Columns are features").
 */
export function bagOfWords(documents: string[], vocabulary: string[]): Matrix {
  assertDocuments('bagOfWords', documents);
  assertVocabulary('bagOfWords', vocabulary);
  const column = new Map(vocabulary.map((w, j) => [w, j]));
  return documents.map((doc) => {
    const row = new Array<number>(vocabulary.length).fill(0);
    for (const t of tokenize(doc)) {
      const j = column.get(t);
      if (j !== undefined) row[j] += 1;
    }
    return row;
  });
}

/**
 * N3 — one-hot: row t is the indicator vector of tokens[t], 1 at the column j with
 * vocabulary[j] = tokens[t] and 0 elsewhere ([Training] "One Hot Encoding", with the same
 * vocabulary; the figure is lost in the notes' text). Summing the rows of a document's one-hot
 * matrix gives its bag of words. A token outside the vocabulary is an error.
 */
export function oneHot(tokens: string[], vocabulary: string[]): Matrix {
  const fn = 'oneHot';
  if (!Array.isArray(tokens)) throw new ArgumentError(fn, 'tokens', `must be an array of words; got ${tokens === null ? 'null' : typeof tokens}`);
  assertVocabulary(fn, vocabulary);
  const column = new Map(vocabulary.map((w, j) => [w, j]));
  return tokens.map((t, i) => {
    assertText(fn, `tokens[${i}]`, t);
    const j = column.get(t);
    if (j === undefined) throw new ArgumentError(fn, 'tokens', `must hold words of the vocabulary; tokens[${i}] = '${t}' is not in it`);
    const row = new Array<number>(vocabulary.length).fill(0);
    row[j] = 1;
    return row;
  });
}

// ---------------------------------------------------------------------------------------------
// N4 — term frequency

/**
 * N4 — TF[d][j] = X[d][j] / Σ_k X[d][k]: the count of the word in the document over the number of
 * words in the document ([Training] "TF_IDF": "TF = (Number of repetitions of word in a
 * document) / (# of words in a document)"; TF(the, x^[3]) = 2/14 = 0.14285714). A document
 * without words gets TF 0.
 */
export function termFrequency(bow: Matrix): Matrix {
  assertCounts('termFrequency', bow);
  return bow.map((row) => {
    const length = row.reduce((a, b) => a + b, 0);
    return row.map((c) => (length === 0 ? 0 : c / length));
  });
}

// ---------------------------------------------------------------------------------------------
// N5 — document frequency and inverse document frequency

/**
 * N5 — df_j = #{d : X[d][j] > 0}, the number of documents that contain word j, however often
 * ([Training] "TF_IDF": "Number of documents containing the word"). Not the total count
 * Σ_d X[d][j]: that is the tables' "Word Freq in Doc" column (erratum 1).
 */
export function documentFrequency(bow: Matrix): Vector {
  assertCounts('documentFrequency', bow);
  return bow[0].map((_, j) => bow.reduce((n, row) => n + (row[j] > 0 ? 1 : 0), 0));
}

/**
 * N5 — IDF_j = log10(N / df_j) ([Training] "TF_IDF": "IDF = log[(# Number of documents) /
 * (Number of documents containing the word)]"; the tables use log10: log10(3/1) = 0.47712125 for
 * "two"). Options: log 'ln' for the natural log; smooth for log((1 + N)/(1 + df_j)) + 1. Without
 * smoothing a word in every document has IDF 0 and IDF ≥ 0 always; a word in no document
 * (df = 0) is an error, log(N/0) being infinite.
 */
export function inverseDocumentFrequency(bow: Matrix, options?: IdfOptions): Vector {
  const fn = 'inverseDocumentFrequency';
  assertCounts(fn, bow);
  const { log, smooth } = idfOptions(fn, options);
  return idfOf(fn, documentFrequency(bow), bow.length, log, smooth);
}

function idfOf(fn: string, df: Vector, N: number, log: 'log10' | 'ln', smooth: boolean): Vector {
  const lg = log === 'log10' ? Math.log10 : Math.log;
  return df.map((n, j) => {
    if (smooth) return lg((1 + N) / (1 + n)) + 1;
    if (n === 0) throw new ArgumentError(fn, 'bow', `column ${j} is a word in no document: df = 0 and log(N/df) is infinite (use options.smooth)`);
    return lg(N / n);
  });
}

// ---------------------------------------------------------------------------------------------
// N6 — TF-IDF

/**
 * N6 — TF-IDF[d][j] = TF[d][j] · IDF[j] ([Training] "TF_IDF": "Tf-idf = TF * IDF";
 * TF-IDF(two, x^[3]) = (1/14)·log10(3/1) = 0.03408009). Options (catalogue N6's variants):
 * log and smooth as for inverseDocumentFrequency; tf 'raw' (the count) or 'sublinear'
 * (1 + ln(count) for count > 0, else 0) instead of count/|x^[d]|; norm 'l2' divides each row by
 * its Euclidean norm ‖row‖₂ (a zero row stays zero).
 */
export function tfidf(bow: Matrix, options?: TfIdfOptions): Matrix {
  const fn = 'tfidf';
  assertCounts(fn, bow);
  const { log, smooth } = idfOptions(fn, options);
  const { tf = 'relative', norm = 'none' } = (options ?? {}) as TfIdfOptions;
  if (tf !== 'relative' && tf !== 'raw' && tf !== 'sublinear') throw new ArgumentError(fn, 'options.tf', `must be 'relative', 'raw' or 'sublinear'; got ${JSON.stringify(tf)}`);
  if (norm !== 'none' && norm !== 'l2') throw new ArgumentError(fn, 'options.norm', `must be 'none' or 'l2'; got ${JSON.stringify(norm)}`);
  const idf = idfOf(fn, documentFrequency(bow), bow.length, log, smooth);
  const TF = tf === 'relative' ? termFrequency(bow) : bow.map((row) => row.map((c) => (tf === 'raw' ? c : c > 0 ? 1 + Math.log(c) : 0)));
  const weighted = TF.map((row) => row.map((t, j) => t * idf[j]));
  if (norm === 'none') return weighted;
  return weighted.map((row) => {
    const length = Math.hypot(...row);
    return length === 0 ? row : row.map((v) => v / length);
  });
}
