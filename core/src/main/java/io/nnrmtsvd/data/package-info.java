/**
 * Image data sets for training: {@link io.nnrmtsvd.data.Datasets} loads MNIST and Fashion-MNIST by
 * name, fetching them once into the data directory ({@link io.nnrmtsvd.data.DataDirectory});
 * {@link io.nnrmtsvd.data.IdxFiles} reads the IDX format, raw or gzip-compressed; {@link
 * io.nnrmtsvd.data.LabeledImages} holds pixels scaled to [0, 1] off-heap beside their labels;
 * {@link io.nnrmtsvd.data.DataPreparation} draws a seeded training subset and normalises inputs.
 */
package io.nnrmtsvd.data;
