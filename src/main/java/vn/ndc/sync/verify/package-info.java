/**
 * {@code ndc-sync verify}: reconciles every agency source table with the NDC store.
 *
 * <p>Each source row is standardized with the agency's own mapping, exactly as the pipeline would,
 * and its canonical content is hashed; the live rows of {@code ndc.person} are hashed the same way.
 * Keys present on one side only are missing or extra, keys on both sides with different hashes are
 * different; rows the mapping rejects are expected to be absent (they are dead-lettered).
 */
package vn.ndc.sync.verify;
