/**
 * RMT-SVD pruning (SPEC sections 5 and 6): how many singular values each layer keeps, the four
 * ways to cut a layer, keep schedules, and the epoch hook that prunes during training.
 */
package io.nnrmtsvd.prune;
