package io.drover.agent.blob;

/** How much of a result blob the coordinator holds: resume an upload at {@code bytesReceived}. */
public record UploadStatus(long size, long bytesReceived, boolean complete) {
}
