/**
 * The fault harness ({@code xssab chaos}, ClusterFaultIT): an open-loop load that keeps a ledger
 * of every request it sends, faults held on a cluster of processes and then healed, and the
 * verifier that reads every topic back after quiescence and proves that nothing acknowledged was
 * lost, nothing was decided twice, and the audit holds each outcome exactly once.
 */
package dev.xssab.chaos;
