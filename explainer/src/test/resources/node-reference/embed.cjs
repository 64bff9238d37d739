// Reference embeddings for the parity tests, computed by TF.js itself (CPU backend).
// usage: node embed.cjs graph|faceapi MODEL_FILE INPUT.f32 N H W OUTPUT.f32
// INPUT.f32: N*H*W*3 little-endian float32, NHWC, RGB 0..255. OUTPUT.f32: N*D float32.
const tf = require('@tensorflow/tfjs');
const fs = require('fs');
const path = require('path');

function arrayBuffer(file) {
  const b = fs.readFileSync(file);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
}

async function main() {
  const [mode, modelFile, inputFile, n, h, w, outputFile] = process.argv.slice(2);
  await tf.setBackend('cpu');
  await tf.ready();
  const N = Number(n), H = Number(h), W = Number(w);
  const input = new Float32Array(arrayBuffer(inputFile));
  let rows = [];
  if (mode === 'graph') {
    const json = JSON.parse(fs.readFileSync(modelFile));
    const specs = [].concat(...json.weightsManifest.map((g) => g.weights));
    const shards = [].concat(...json.weightsManifest.map((g) => g.paths)).map((p) => Buffer.from(arrayBuffer(path.join(path.dirname(modelFile), p))));
    const data = Buffer.concat(shards);
    const model = await tf.loadGraphModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs,
      weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) }));
    for (let i = 0; i < N; i++) {
      const x = tf.tensor4d(input.subarray(i * H * W * 3, (i + 1) * H * W * 3), [1, H, W, 3]);
      const y = model.predict(x);
      rows.push(Float32Array.from(await y.data()));
      tf.dispose([x, y]);
    }
  } else if (mode === 'faceapi') {
    const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
    const manifest = JSON.parse(fs.readFileSync(modelFile));
    const weightMap = tf.io.decodeWeights(arrayBuffer(path.join(path.dirname(modelFile), manifest[0].paths[0])), manifest[0].weights);
    faceapi.nets.faceRecognitionNet.loadFromWeightMap(weightMap);
    for (let i = 0; i < N; i++) {
      const x = tf.tensor3d(input.subarray(i * H * W * 3, (i + 1) * H * W * 3), [H, W, 3]);
      rows.push(Float32Array.from(await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(x)));
      tf.dispose(x);
    }
  } else {
    throw new Error('mode must be graph or faceapi');
  }
  const out = new Float32Array(rows.length * rows[0].length);
  rows.forEach((r, i) => out.set(r, i * r.length));
  fs.writeFileSync(outputFile, Buffer.from(out.buffer));
  console.log(`backend ${tf.getBackend()} tfjs ${tf.version.tfjs}: ${rows.length} embeddings of ${rows[0].length}`);
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
