/**
 * The gateway stage: from untrusted image bytes to aligned face crops. Sub-packages: {@code image}
 * (safe decoding, resizing) and {@code face} (detection, landmarks, alignment).
 */
package dev.xssab.gateway;
