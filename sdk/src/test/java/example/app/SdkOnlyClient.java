package example.app;

import io.drover.sdk.DroverClient;
import io.drover.sdk.DroverException;
import java.time.Duration;

/** An application that uses the SDK and nothing else: asks for jobs where no coordinator listens. */
public final class SdkOnlyClient {
    private SdkOnlyClient() {
    }

    public static void main(String[] args) {
        try (DroverClient client = DroverClient.builder().endpoints(args[0]).retryDeadline(Duration.ofMillis(300))
                .build()) {
            client.jobs(1);
            System.out.println("answered");
        } catch (DroverException e) {
            System.out.println("refused: " + e.getClass().getSimpleName());
        }
    }
}
