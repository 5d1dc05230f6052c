/**
 * The {@code rmtsvd} command line: one class per subcommand, which parses options, builds the
 * library's configuration, calls it and prints. No maths here.
 */
package io.nnrmtsvd.cli;
