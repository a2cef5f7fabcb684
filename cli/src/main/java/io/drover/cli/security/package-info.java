/**
 * {@code drover ca init|show} and {@code drover token create}: the cluster's secrets directory and the
 * tokens made from it, offline (no coordinator is contacted). The work is in {@code drover-security};
 * these commands parse flags and print. Tokens go alone to stdout so {@code $(drover token create ...)} works.
 */
package io.drover.cli.security;
