/** Safe image decoding (limits checked before pixels are decoded) and small image operations. */
package dev.xssab.faces.image;
