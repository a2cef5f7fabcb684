package example.jobs;

/** A job whose only constructor takes an argument. */
public class NoDefaultConstructor extends Good {
    public NoDefaultConstructor(String unused) {
    }
}
