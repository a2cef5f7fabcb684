package io.drover.coordinator.core;

/** A FIFO of ints without boxing: pending task indexes of a job can number in the millions. */
final class IntQueue {
    private int[] items = new int[16];
    private int head;
    private int size;

    void add(int value) {
        if (size == items.length) {
            int[] grown = new int[items.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = items[(head + i) % items.length];
            }
            items = grown;
            head = 0;
        }
        items[(head + size) % items.length] = value;
        size++;
    }

    int poll() {
        if (size == 0) {
            throw new IllegalStateException("empty");
        }
        int value = items[head];
        head = (head + 1) % items.length;
        size--;
        return value;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Empties the queue and gives back a grown array (an ended job's queue may have held every task). */
    void clear() {
        head = 0;
        size = 0;
        items = new int[16];
    }
}
