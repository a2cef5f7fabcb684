package io.drover.protocol;

import org.apache.thrift.TApplicationException;
import org.apache.thrift.TException;

/** A method the endpoint knows neither under the service's name nor bare: refused, never retried. */
final class UnknownMethodException extends TException {
    UnknownMethodException(Endpoint endpoint, String method, TApplicationException cause) {
        super(endpoint + " does not know the method '" + method + "', with or without a service name ("
                + cause.getMessage() + ")", cause);
    }
}
