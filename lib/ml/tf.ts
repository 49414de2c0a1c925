// The one place that imports TensorFlow.js. We run the pure-JS CPU backend (no tfjs-node native
// addon is installed), which on its first tensor prints a banner urging tfjs-node; the flag below
// only silences that banner (nothing we use depends on it after import).
import * as tf from "@tensorflow/tfjs";

tf.env().set("IS_NODE", false);

export { tf };
