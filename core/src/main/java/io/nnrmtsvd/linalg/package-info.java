/**
 * Dense linear algebra over native OpenBLAS/LAPACK: the only package that calls them.
 *
 * <p>Two kinds of storage, named for what they hold: {@link io.nnrmtsvd.linalg.DMatrix} is a
 * row-major double matrix on the Java heap for spectra and SVDs; {@link
 * io.nnrmtsvd.linalg.OffHeapFloats} allocates direct float buffers that BLAS reads in place, for
 * the training hot path. All routines are row-major.
 */
package io.nnrmtsvd.linalg;
