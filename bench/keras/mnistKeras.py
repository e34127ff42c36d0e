# The article's Keras script (and the CNN of examples/mnist/mnist-cnn.train.json)
# on the same MNIST files Model Studio reads, timed for bench/kerasComparison.ts.
# One epoch over the first SAMPLES training images, batch 32, after a warm-up
# fit of 10 batches (tracing and first-call costs are not throughput), then the
# test accuracy on all 10,000 test images. Prints one JSON line.
# Usage: python mnistKeras.py mlp|cnn MNIST_IDX_DIR SAMPLES
import json
import os
import sys
import time
import warnings

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
warnings.filterwarnings('ignore')  # Keras 3 prefers Input() to input_shape=; the article's form stays.

import numpy as np
import tensorflow as tf

BATCH = 32
WARM_UP_BATCHES = 10


def read_idx(path):
    with open(path, 'rb') as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def build(kind):
    layers = tf.keras.layers
    if kind == 'mlp':
        # The article's model, as written there.
        model = tf.keras.models.Sequential([
            layers.Flatten(input_shape=(28, 28)),
            layers.Dense(128, activation='relu'),
            layers.Dropout(0.2),
            layers.Dense(10, activation='softmax'),
        ])
        optimizer = 'adam'
    else:
        # examples/mnist/mnist-cnn.train.json, layer for layer.
        model = tf.keras.models.Sequential([
            layers.Reshape((28, 28, 1), input_shape=(28, 28)),
            layers.Conv2D(16, 3, activation='relu'),
            layers.MaxPooling2D(2),
            layers.Conv2D(32, 3, activation='relu'),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(64, activation='relu'),
            layers.Dense(10, activation='softmax'),
        ])
        optimizer = tf.keras.optimizers.Adam(learning_rate=0.001)
    model.compile(optimizer=optimizer, loss='sparse_categorical_crossentropy', metrics=['accuracy'])
    return model


def main():
    kind, data_dir, samples = sys.argv[1], sys.argv[2], int(sys.argv[3])
    x_train = (read_idx(os.path.join(data_dir, 'train-images-idx3-ubyte'))[:samples] / 255.0).astype('float32')
    y_train = read_idx(os.path.join(data_dir, 'train-labels-idx1-ubyte'))[:samples]
    x_test = (read_idx(os.path.join(data_dir, 't10k-images-idx3-ubyte')) / 255.0).astype('float32')
    y_test = read_idx(os.path.join(data_dir, 't10k-labels-idx1-ubyte'))
    model = build(kind)
    warm = BATCH * WARM_UP_BATCHES
    model.fit(x_train[:warm], y_train[:warm], epochs=1, batch_size=BATCH, verbose=0)
    started = time.perf_counter()
    cpu_started = time.process_time()
    history = model.fit(x_train, y_train, epochs=1, batch_size=BATCH, verbose=0)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    _, accuracy = model.evaluate(x_test, y_test, batch_size=512, verbose=0)
    print(json.dumps({
        'samples': len(x_train),
        'seconds': seconds,
        'samplesPerSecond': len(x_train) / seconds,
        # CPU time of all the process's threads per batch: steadier than wall time on a shared machine.
        'cpuMsPerStep': 1000 * cpu_seconds / -(-len(x_train) // BATCH),
        'trainAccuracy': float(history.history['accuracy'][-1]),
        'testAccuracy': float(accuracy),
        'tensorflow': tf.__version__,
        'keras': tf.keras.__version__ if hasattr(tf.keras, '__version__') else '',
    }))


if __name__ == '__main__':
    main()
