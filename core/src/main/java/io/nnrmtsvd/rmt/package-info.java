/**
 * Random-matrix theory for one weight matrix, over plain double arrays (SPEC sections 2-5 and 8):
 * the spectrum of a layer ({@link io.nnrmtsvd.rmt.GramSpectrum}), the Marchenko–Pastur law
 * ({@link io.nnrmtsvd.rmt.MarchenkoPastur}), the Tracy–Widom laws computed from Fredholm
 * determinants ({@link io.nnrmtsvd.rmt.TracyWidom}, on top of {@link io.nnrmtsvd.rmt.Airy}),
 * the BEMA fit of the noise level and bulk edge ({@link io.nnrmtsvd.rmt.Bema} returning
 * {@link io.nnrmtsvd.rmt.BemaFit}), and rules that turn singular values into a rank to keep
 * ({@link io.nnrmtsvd.rmt.RankSelector}, built from text by
 * {@link io.nnrmtsvd.rmt.RankSelectors}).
 *
 * <p>Depends only on {@code io.nnrmtsvd.linalg} (for the Gram eigenvalues). No tables, no
 * interpolation: every special value is computed, and each class's comment states its method
 * and accuracy. All public types are immutable or stateless and thread-safe.
 */
package io.nnrmtsvd.rmt;
