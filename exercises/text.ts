/**
 * N. Text features — catalogue family N (N1–N6). Implement each function below.
 *
 * symbol      id          shape      meaning
 * x^[d]       documents   [N]        the documents (strings); N documents
 * V           vocabulary  [V]        words: vocabulary[j] is the word of column j
 * X           bow         [N, V]     bag of words: X[d][j] = count of vocabulary[j] in x^[d]
 * |x^[d]|     —           —          words in document d, Σ_j X[d][j]
 * df          df          [V]        documents containing word j
 *
 * Conventions the grader holds you to:
 * - every function returns new values and leaves its arguments unchanged;
 * - a token is what remains of a whitespace-separated piece after lower-casing and deleting every
 *   character that is not a letter, a digit or whitespace: "shining," → "shining", "Don't" → "dont"
 *   (the apostrophe is deleted, not turned into a space), and a piece of punctuation alone is no token;
 * - the vocabulary is sorted with JavaScript's default sort (by UTF-16 code units): "10" < "2" < "and";
 * - column j of a bag of words or a one-hot vector is the word vocabulary[j], in the order of the
 *   vocabulary you are given (the grader also passes vocabularies that are not sorted);
 * - the logarithm of the IDF is log10 unless options.log is 'ln';
 * - a document without words has TF 0 in every column (not NaN);
 * - the grader's documents are ASCII; validate inputs where it helps you, the grader passes valid
 *   ones except where a function below says what to reject.
 */
import { NotImplemented } from './not-implemented.ts';
import type { Matrix, Vector } from './tensor.ts';

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

/** N1 — the tokens of a document: lower-cased, punctuation deleted, split at whitespace, no empty tokens. */
export function tokenize(document: string): string[] {
  throw new NotImplemented('N1 tokenize');
}

/** N1 — the sorted unique tokens of all the documents (the notes' vocabulary: and, is, one, …, weather). */
export function buildVocabulary(documents: string[]): string[] {
  throw new NotImplemented('N1 buildVocabulary');
}

/**
 * N2 — bag of words [N, V]: X[d][j] = how many tokens of documents[d] equal vocabulary[j].
 * Tokens that are not in the vocabulary are ignored.
 */
export function bagOfWords(documents: string[], vocabulary: string[]): Matrix {
  throw new NotImplemented('N2 bagOfWords');
}

/**
 * N3 — one-hot [T, V]: row t has a 1 in the column of tokens[t] and 0 elsewhere.
 * A token that is not in the vocabulary is an Error naming oneHot.
 */
export function oneHot(tokens: string[], vocabulary: string[]): Matrix {
  throw new NotImplemented('N3 oneHot');
}

/** N4 — TF [N, V]: TF[d][j] = X[d][j] / (number of words in document d, Σ_k X[d][k]). */
export function termFrequency(bow: Matrix): Matrix {
  throw new NotImplemented('N4 termFrequency');
}

/** N5 — df [V]: the number of documents (rows of bow) that contain word j at least once, however often. */
export function documentFrequency(bow: Matrix): Vector {
  throw new NotImplemented('N5 documentFrequency');
}

/**
 * N5 — IDF [V]: log10(N / df_j), N = number of documents; options.log 'ln' uses the natural log;
 * options.smooth uses log((1 + N)/(1 + df_j)) + 1 instead. Without smoothing, every df_j ≥ 1.
 */
export function inverseDocumentFrequency(bow: Matrix, options?: IdfOptions): Vector {
  throw new NotImplemented('N5 inverseDocumentFrequency');
}

/**
 * N6 — TF-IDF [N, V]: tf[d][j] · idf[j], with the idf of inverseDocumentFrequency (same options);
 * options.tf chooses tf: 'relative' (default) X[d][j]/Σ_k X[d][k], 'raw' X[d][j], 'sublinear'
 * 1 + ln X[d][j] where X[d][j] > 0 and 0 elsewhere (always the natural log); options.norm 'l2'
 * then divides each row by its Euclidean norm (a row of zeros stays zeros).
 */
export function tfidf(bow: Matrix, options?: TfIdfOptions): Matrix {
  throw new NotImplemented('N6 tfidf');
}
