package dev.migrator.demo;

import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * Answers errors as RFC 9457 problem details that say what in the request is wrong.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    @Override
    protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String fields = ex.getBindingResult().getFieldErrors().stream()
                .map(ApiExceptionHandler::describe)
                .sorted()
                .collect(Collectors.joining("; "));
        ProblemDetail body = ProblemDetail.forStatusAndDetail(
                status, "Invalid request: " + fields + ". Correct these fields and send the request again.");
        return handleExceptionInternal(ex, body, headers, status, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String reason =
                (ex.getCause() instanceof JacksonException jackson) ? jackson.getOriginalMessage() : "no JSON body";
        ProblemDetail body = ProblemDetail.forStatusAndDetail(
                status, "Unreadable request body: " + reason + ". Send a JSON object with the fields of this request.");
        return handleExceptionInternal(ex, body, headers, status, request);
    }

    private static String describe(FieldError error) {
        return error.getField() + " " + error.getDefaultMessage() + " (was '" + error.getRejectedValue() + "')";
    }
}
