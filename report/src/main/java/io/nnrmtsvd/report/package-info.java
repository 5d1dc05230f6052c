/** Results as files people read: JSON documents, CSV curves, plots and HTML reports. */
package io.nnrmtsvd.report;
