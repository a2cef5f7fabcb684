package io.drover.sdk;

/**
 * A result too large to travel inside a job's status (over 64 KiB by default): the coordinator keeps
 * it as a blob, named by the SHA-256 of its encoded bytes. {@link JobHandle#result} and
 * {@link JobHandle#writeResult} read it in chunks; users need not do anything different.
 *
 * @param sha256 the SHA-256 of the encoded result, lowercase hex
 * @param size   its size in bytes
 */
public record StoredResult(String sha256, long size) {
}
