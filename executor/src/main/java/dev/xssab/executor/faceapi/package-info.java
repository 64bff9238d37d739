/** face-api's recognition ResNet, built as an {@link dev.xssab.executor.OpGraph} from its TF.js weights. */
package dev.xssab.executor.faceapi;
