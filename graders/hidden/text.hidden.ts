/**
 * Family N (text features): hidden differential checks, student vs reference on random inputs.
 * Instructor side only.
 *
 * Documents are written from a pool of words with mixed case, punctuation at the edges and inside
 * words, runs of tabs and newlines, and lone punctuation between words; vocabularies come sorted
 * (built from the corpus) or shuffled with words the corpus lacks; count matrices have empty
 * documents, words in every document (IDF 0) and counts up to 6 (sublinear tf differs from the
 * count). Each check names the mistakes its wrong values match by running the reference, or the
 * public grader's formulas (tfidfFrom), with a wrong convention.
 */
import fc from 'fast-check';
import * as ref from '../../reference/text.ts';
import { differential, EXACT } from '../engine/checks.ts';
import type { Variants } from '../engine/diagnose.ts';
import type { Check } from '../engine/types.ts';
import { countMatrix, idfFrom, MISTAKES, shuffledVocabulary, textOptions, tfidfFrom, totalOf, writtenCorpus, writtenDocument, type TextOptions } from '../text.grader.ts';

type Mat = number[][];

/** Erratum 1's idf: N divided by the total count of each word instead of its document frequency. */
const idfTotal = (B: Mat, o: TextOptions) => idfFrom(totalOf(B), B.length, o);
/** A matrix in which some word occurs in every document (its IDF is 0 under the stated formula). */
const withEverywhere = countMatrix().chain((B) => fc.tuple(fc.constant(B), fc.nat({ max: B[0].length - 1 }), fc.boolean())).map(([B, j, on]) => (on ? B.map((row) => row.map((c, i) => (i === j ? Math.max(c, 1) : c))) : B));

export const hidden: Check[] = [
  differential({
    id: 'N1.tokenize.reference', exercise: 'tokenize', catalogue: 'N1', numRuns: 150,
    title: 'tokenize matches the reference on random documents (case, punctuation inside and around words, whitespace runs)',
    hint: 'N1: lower-case, delete every character that is not a letter, a digit or whitespace, split at whitespace, no empty tokens',
    arbitrary: writtenDocument(14).map((d) => d.text), args: (text) => [text],
    expected: (text) => ref.tokenize(text),
    variants: (text): Variants => ({
      [MISTAKES.punctuationKept]: text.toLowerCase().split(/\s+/).filter((t) => t.length > 0),
      [MISTAKES.punctuationSplits]: text.toLowerCase().split(/[^a-z0-9]+/).filter((t) => t.length > 0),
      [MISTAKES.caseKept]: text.replace(/[^A-Za-z0-9\s]/g, '').split(/\s+/).filter((t) => t.length > 0),
    }),
  }),
  differential({
    id: 'N1.buildVocabulary.reference', exercise: 'buildVocabulary', catalogue: 'N1', numRuns: 100,
    title: 'buildVocabulary matches the reference on random corpora',
    hint: 'N1: the unique tokens of all documents, sorted with the default sort',
    arbitrary: writtenCorpus(8).map((docs) => docs.map((d) => d.text)), args: (texts) => [texts],
    expected: (texts) => ref.buildVocabulary(texts),
    variants: (texts) => ({ [MISTAKES.unsorted]: [...new Set(texts.flatMap(ref.tokenize))] }),
  }),
  differential({
    id: 'N2.bagOfWords.reference', exercise: 'bagOfWords', catalogue: 'N2', numRuns: 100,
    title: 'bagOfWords matches the reference on random corpora, with sorted and shuffled vocabularies',
    hint: 'N2: X[d][j] = count of vocabulary[j] (in the order given) among the tokens of document d',
    arbitrary: writtenCorpus(8).chain((docs) => fc.tuple(fc.constant(docs.map((d) => d.text)), fc.oneof(fc.constant(ref.buildVocabulary(docs.map((d) => d.text))), shuffledVocabulary(docs)))),
    args: ([texts, vocabulary]) => [texts, vocabulary],
    // EXACT: counts are integers
    tol: EXACT,
    expected: ([texts, vocabulary]) => ref.bagOfWords(texts, vocabulary),
    variants: ([texts, vocabulary]) => ({
      [MISTAKES.resorted]: ref.bagOfWords(texts, [...vocabulary].sort()),
      [MISTAKES.binary]: ref.bagOfWords(texts, vocabulary).map((row) => row.map((c) => (c > 0 ? 1 : 0))),
    }),
  }),
  differential({
    id: 'N3.oneHot.reference', exercise: 'oneHot', catalogue: 'N3', numRuns: 100,
    title: 'oneHot matches the reference on random tokens of random (shuffled) vocabularies',
    hint: 'N3: row t is the indicator of tokens[t] over the vocabulary, in the order given',
    arbitrary: writtenCorpus(4).chain((docs) => shuffledVocabulary(docs)).chain((v) => fc.tuple(fc.array(fc.constantFrom(...v), { maxLength: 10 }), fc.constant(v))),
    args: ([tokens, vocabulary]) => [tokens, vocabulary],
    // EXACT: entries are 0 and 1
    tol: EXACT,
    expected: ([tokens, vocabulary]) => ref.oneHot(tokens, vocabulary),
    variants: ([tokens, vocabulary]) => ({ [MISTAKES.resorted]: ref.oneHot(tokens, [...vocabulary].sort()) }),
  }),
  differential({
    id: 'N4.termFrequency.reference', exercise: 'termFrequency', catalogue: 'N4', numRuns: 100,
    title: 'termFrequency matches the reference on random count matrices (empty documents included)',
    hint: 'N4: X[d][j] / Σ_k X[d][k], 0 for an empty document',
    arbitrary: countMatrix({ everyWord: false }), args: (B) => [B],
    expected: (B) => ref.termFrequency(B),
    variants: (B) => ({ [MISTAKES.tfNotDivided]: B, [MISTAKES.tfByV]: B.map((row) => row.map((c) => c / row.length)) }),
  }),
  differential({
    id: 'N5.documentFrequency.reference', exercise: 'documentFrequency', catalogue: 'N5', numRuns: 100,
    title: 'documentFrequency matches the reference on random count matrices',
    hint: 'N5: the number of rows with a positive count in column j',
    arbitrary: countMatrix({ everyWord: false }), args: (B) => [B],
    // EXACT: counts of documents are integers
    tol: EXACT,
    expected: (B) => ref.documentFrequency(B),
    variants: (B) => ({ [MISTAKES.dfTotal]: totalOf(B) }),
  }),
  differential({
    id: 'N5.inverseDocumentFrequency.reference', exercise: 'inverseDocumentFrequency', catalogue: 'N5', numRuns: 150,
    title: 'inverseDocumentFrequency matches the reference on random count matrices (words in every document) and options, or none',
    hint: 'N5: log10(N/df) by default; ln and smoothing log((1 + N)/(1 + df)) + 1 as options',
    arbitrary: fc.tuple(withEverywhere, fc.option(textOptions.map(({ log, smooth }) => ({ log, smooth })), { nil: undefined })),
    args: ([B, o]) => (o === undefined ? [B] : [B, o]),
    expected: ([B, o]) => ref.inverseDocumentFrequency(B, o),
    variants: ([B, o = {}]) => ({
      [MISTAKES.idfTotal]: idfTotal(B, o),
      [MISTAKES.ln]: ref.inverseDocumentFrequency(B, { ...o, log: 'ln' }),
      ...(o.log === 'ln' ? { [MISTAKES.logIgnored]: ref.inverseDocumentFrequency(B, { ...o, log: 'log10' }) } : {}),
      ...(o.smooth ? { [MISTAKES.smoothNoOne]: ref.inverseDocumentFrequency(B, o).map((v) => v - 1) } : {}),
    }),
  }),
  differential({
    id: 'N6.tfidf.reference', exercise: 'tfidf', catalogue: 'N6', numRuns: 150,
    title: 'tfidf matches the reference on random count matrices and every combination of options, or none',
    hint: 'N6: tf (relative, raw or 1 + ln count) times idf (N5), rows l2-normalised when asked',
    arbitrary: fc.tuple(withEverywhere, fc.option(textOptions, { nil: undefined })),
    args: ([B, o]) => (o === undefined ? [B] : [B, o]),
    expected: ([B, o]) => ref.tfidf(B, o),
    variants: ([B, o = {}]) => ({
      [MISTAKES.idfTotal]: tfidfFrom(B, o, idfTotal(B, o)),
      [MISTAKES.ln]: ref.tfidf(B, { ...o, log: 'ln' }),
      ...(o.tf === undefined || o.tf === 'relative' ? { [MISTAKES.tfNotDivided]: ref.tfidf(B, { ...o, tf: 'raw' }) } : {}),
      ...(o.tf === 'sublinear' ? { [MISTAKES.sublinearLog10]: tfidfFrom(B, o, undefined, Math.log10) } : {}),
      ...(o.smooth ? { [MISTAKES.smoothNoOne]: tfidfFrom(B, o, ref.inverseDocumentFrequency(B, o).map((v) => v - 1)) } : {}),
    }),
  }),
];
