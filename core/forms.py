def bound_data(request):
    """(data, files) for a form: bound on POST even when nothing was ticked or typed."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None
