#include "web/PageText.h"

#include "notify/Locales.h"
#include "notify/MessageTemplates.h"

#include <algorithm>
#include <cstdlib>

namespace tinko::web {

namespace {
using P = Phrase;

PageText english() {
    return {"en",
            {{P::SecurePayment, "Secure payment"},
             {P::PayTitle, "Complete your payment to {{merchant}}"},
             {P::AmountDue, "Amount due"},
             {P::PayButton, "Pay {{amount}}"},
             {P::ContinueToProvider, "You will continue to our payment provider to pay securely."},
             {P::ValidUntil, "This link is valid until {{expires}}."},
             {P::UnknownTitle, "This link is not valid"},
             {P::UnknownText, "Check that you opened the whole link from your message. If it still does not work, contact the merchant."},
             {P::PaidTitle, "Already paid"},
             {P::PaidText, "This payment to {{merchant}} has been received. Thank you!"},
             {P::ClosedTitle, "This payment is closed"},
             {P::ClosedText, "{{merchant}} no longer collects this payment here."},
             {P::ExpiredTitle, "This link has expired"},
             {P::ExpiredText, "The link expired on {{expires}}. Contact {{merchant}} for a new one."},
             {P::UnavailableTitle, "Payment is not available right now"},
             {P::UnavailableText, "{{merchant}} cannot take this payment at the moment. Please try again later."},
             {P::ProviderDownTitle, "We could not reach the payment provider"},
             {P::ProviderDownRetry, "Nothing was charged. Please go back and try again in a moment."},
             {P::ProviderDownLater, "Nothing was charged. Please try again later."},
             {P::ConfirmingTitle, "Thank you"},
             {P::ConfirmingText, "Your payment to {{merchant}} is being confirmed. You will hear from them if anything else is needed."},
             {P::ReceivedTitle, "Payment received"},
             {P::ReceivedText, "Your payment to {{merchant}} has been received. Thank you!"},
             {P::NotConfirmedTitle, "We could not confirm this payment"},
             {P::NotConfirmedText, "The payment provider's answer could not be verified. If you paid, {{merchant}} will confirm it shortly."},
             {P::DeclinedTitle, "The payment did not go through"},
             {P::DeclinedText, "Nothing was charged. You can try again with another payment method."},
             {P::TryAgain, "Try again"},
             {P::UseAnotherCard, "Use another card"}}};
}

PageText german() {
    return {"de",
            {{P::SecurePayment, "Sichere Zahlung"},
             {P::PayTitle, "Schließen Sie Ihre Zahlung an {{merchant}} ab"},
             {P::AmountDue, "Offener Betrag"},
             {P::PayButton, "{{amount}} bezahlen"},
             {P::ContinueToProvider, "Sie werden zu unserem Zahlungsanbieter weitergeleitet, um sicher zu bezahlen."},
             {P::ValidUntil, "Dieser Link ist gültig bis {{expires}}."},
             {P::UnknownTitle, "Dieser Link ist ungültig"},
             {P::UnknownText, "Prüfen Sie, ob Sie den vollständigen Link aus Ihrer Nachricht geöffnet haben. Falls es weiterhin nicht "
                              "funktioniert, wenden Sie sich an den Händler."},
             {P::PaidTitle, "Bereits bezahlt"},
             {P::PaidText, "Diese Zahlung an {{merchant}} ist eingegangen. Vielen Dank!"},
             {P::ClosedTitle, "Diese Zahlung ist abgeschlossen"},
             {P::ClosedText, "{{merchant}} nimmt diese Zahlung hier nicht mehr entgegen."},
             {P::ExpiredTitle, "Dieser Link ist abgelaufen"},
             {P::ExpiredText, "Der Link ist am {{expires}} abgelaufen. Wenden Sie sich an {{merchant}}, um einen neuen zu erhalten."},
             {P::UnavailableTitle, "Die Zahlung ist derzeit nicht möglich"},
             {P::UnavailableText, "{{merchant}} kann diese Zahlung im Moment nicht annehmen. Bitte versuchen Sie es später erneut."},
             {P::ProviderDownTitle, "Der Zahlungsanbieter ist nicht erreichbar"},
             {P::ProviderDownRetry, "Es wurde nichts abgebucht. Bitte gehen Sie zurück und versuchen Sie es gleich noch einmal."},
             {P::ProviderDownLater, "Es wurde nichts abgebucht. Bitte versuchen Sie es später erneut."},
             {P::ConfirmingTitle, "Vielen Dank"},
             {P::ConfirmingText, "Ihre Zahlung an {{merchant}} wird bestätigt. Sie hören von {{merchant}}, falls noch etwas benötigt wird."},
             {P::ReceivedTitle, "Zahlung eingegangen"},
             {P::ReceivedText, "Ihre Zahlung an {{merchant}} ist eingegangen. Vielen Dank!"},
             {P::NotConfirmedTitle, "Wir konnten diese Zahlung nicht bestätigen"},
             {P::NotConfirmedText, "Die Antwort des Zahlungsanbieters konnte nicht geprüft werden. Falls Sie bezahlt haben, bestätigt "
                                   "{{merchant}} die Zahlung in Kürze."},
             {P::DeclinedTitle, "Die Zahlung ist nicht durchgegangen"},
             {P::DeclinedText, "Es wurde nichts abgebucht. Sie können es mit einer anderen Zahlungsmethode erneut versuchen."},
             {P::TryAgain, "Erneut versuchen"},
             {P::UseAnotherCard, "Andere Karte verwenden"}}};
}

PageText french() {
    return {"fr",
            {{P::SecurePayment, "Paiement sécurisé"},
             {P::PayTitle, "Finalisez votre paiement à {{merchant}}"},
             {P::AmountDue, "Montant dû"},
             {P::PayButton, "Payer {{amount}}"},
             {P::ContinueToProvider, "Vous allez être redirigé vers notre prestataire de paiement pour payer en toute sécurité."},
             {P::ValidUntil, "Ce lien est valable jusqu’au {{expires}}."},
             {P::UnknownTitle, "Ce lien n’est pas valide"},
             {P::UnknownText, "Vérifiez que vous avez ouvert le lien complet figurant dans votre message. Si le problème persiste, "
                              "contactez le commerçant."},
             {P::PaidTitle, "Déjà payé"},
             {P::PaidText, "Ce paiement à {{merchant}} a bien été reçu. Merci !"},
             {P::ClosedTitle, "Ce paiement est clôturé"},
             {P::ClosedText, "{{merchant}} n’encaisse plus ce paiement ici."},
             {P::ExpiredTitle, "Ce lien a expiré"},
             {P::ExpiredText, "Le lien a expiré le {{expires}}. Contactez {{merchant}} pour en obtenir un nouveau."},
             {P::UnavailableTitle, "Le paiement n’est pas disponible pour le moment"},
             {P::UnavailableText, "{{merchant}} ne peut pas accepter ce paiement pour le moment. Veuillez réessayer plus tard."},
             {P::ProviderDownTitle, "Nous n’avons pas pu joindre le prestataire de paiement"},
             {P::ProviderDownRetry, "Aucun montant n’a été débité. Revenez en arrière et réessayez dans un instant."},
             {P::ProviderDownLater, "Aucun montant n’a été débité. Veuillez réessayer plus tard."},
             {P::ConfirmingTitle, "Merci"},
             {P::ConfirmingText, "Votre paiement à {{merchant}} est en cours de confirmation. {{merchant}} vous contactera si "
                                 "autre chose est nécessaire."},
             {P::ReceivedTitle, "Paiement reçu"},
             {P::ReceivedText, "Votre paiement à {{merchant}} a bien été reçu. Merci !"},
             {P::NotConfirmedTitle, "Nous n’avons pas pu confirmer ce paiement"},
             {P::NotConfirmedText, "La réponse du prestataire de paiement n’a pas pu être vérifiée. Si vous avez payé, {{merchant}} "
                                   "le confirmera sous peu."},
             {P::DeclinedTitle, "Le paiement n’a pas abouti"},
             {P::DeclinedText, "Aucun montant n’a été débité. Vous pouvez réessayer avec un autre moyen de paiement."},
             {P::TryAgain, "Réessayer"},
             {P::UseAnotherCard, "Utiliser une autre carte"}}};
}

PageText spanish() {
    return {"es",
            {{P::SecurePayment, "Pago seguro"},
             {P::PayTitle, "Completa tu pago a {{merchant}}"},
             {P::AmountDue, "Importe pendiente"},
             {P::PayButton, "Pagar {{amount}}"},
             {P::ContinueToProvider, "Continuarás en nuestro proveedor de pagos para pagar de forma segura."},
             {P::ValidUntil, "Este enlace es válido hasta el {{expires}}."},
             {P::UnknownTitle, "Este enlace no es válido"},
             {P::UnknownText, "Comprueba que has abierto el enlace completo de tu mensaje. Si sigue sin funcionar, ponte en contacto "
                              "con el comercio."},
             {P::PaidTitle, "Ya está pagado"},
             {P::PaidText, "Hemos recibido este pago a {{merchant}}. ¡Gracias!"},
             {P::ClosedTitle, "Este pago está cerrado"},
             {P::ClosedText, "{{merchant}} ya no cobra este pago aquí."},
             {P::ExpiredTitle, "Este enlace ha caducado"},
             {P::ExpiredText, "El enlace caducó el {{expires}}. Ponte en contacto con {{merchant}} para obtener uno nuevo."},
             {P::UnavailableTitle, "El pago no está disponible en este momento"},
             {P::UnavailableText, "{{merchant}} no puede aceptar este pago en este momento. Inténtalo de nuevo más tarde."},
             {P::ProviderDownTitle, "No hemos podido contactar con el proveedor de pagos"},
             {P::ProviderDownRetry, "No se ha cobrado nada. Vuelve atrás e inténtalo de nuevo en un momento."},
             {P::ProviderDownLater, "No se ha cobrado nada. Inténtalo de nuevo más tarde."},
             {P::ConfirmingTitle, "Gracias"},
             {P::ConfirmingText, "Se está confirmando tu pago a {{merchant}}. Te avisarán si necesitan algo más."},
             {P::ReceivedTitle, "Pago recibido"},
             {P::ReceivedText, "Hemos recibido tu pago a {{merchant}}. ¡Gracias!"},
             {P::NotConfirmedTitle, "No hemos podido confirmar este pago"},
             {P::NotConfirmedText, "No se ha podido verificar la respuesta del proveedor de pagos. Si has pagado, {{merchant}} lo "
                                   "confirmará en breve."},
             {P::DeclinedTitle, "El pago no se ha completado"},
             {P::DeclinedText, "No se ha cobrado nada. Puedes intentarlo de nuevo con otro método de pago."},
             {P::TryAgain, "Intentar de nuevo"},
             {P::UseAnotherCard, "Usar otra tarjeta"}}};
}

PageText italian() {
    return {"it",
            {{P::SecurePayment, "Pagamento sicuro"},
             {P::PayTitle, "Completa il pagamento a {{merchant}}"},
             {P::AmountDue, "Importo dovuto"},
             {P::PayButton, "Paga {{amount}}"},
             {P::ContinueToProvider, "Verrai indirizzato al nostro fornitore di pagamenti per pagare in modo sicuro."},
             {P::ValidUntil, "Questo link è valido fino al {{expires}}."},
             {P::UnknownTitle, "Questo link non è valido"},
             {P::UnknownText, "Verifica di aver aperto il link completo del messaggio. Se il problema persiste, contatta l’esercente."},
             {P::PaidTitle, "Già pagato"},
             {P::PaidText, "Abbiamo ricevuto questo pagamento a {{merchant}}. Grazie!"},
             {P::ClosedTitle, "Questo pagamento è chiuso"},
             {P::ClosedText, "{{merchant}} non riscuote più questo pagamento qui."},
             {P::ExpiredTitle, "Questo link è scaduto"},
             {P::ExpiredText, "Il link è scaduto il {{expires}}. Contatta {{merchant}} per riceverne uno nuovo."},
             {P::UnavailableTitle, "Il pagamento non è disponibile al momento"},
             {P::UnavailableText, "{{merchant}} non può accettare questo pagamento al momento. Riprova più tardi."},
             {P::ProviderDownTitle, "Non è stato possibile contattare il fornitore di pagamenti"},
             {P::ProviderDownRetry, "Non è stato addebitato nulla. Torna indietro e riprova tra un momento."},
             {P::ProviderDownLater, "Non è stato addebitato nulla. Riprova più tardi."},
             {P::ConfirmingTitle, "Grazie"},
             {P::ConfirmingText, "Il tuo pagamento a {{merchant}} è in fase di conferma. Ti contatteranno se serve altro."},
             {P::ReceivedTitle, "Pagamento ricevuto"},
             {P::ReceivedText, "Abbiamo ricevuto il tuo pagamento a {{merchant}}. Grazie!"},
             {P::NotConfirmedTitle, "Non è stato possibile confermare questo pagamento"},
             {P::NotConfirmedText, "Non è stato possibile verificare la risposta del fornitore di pagamenti. Se hai pagato, "
                                   "{{merchant}} lo confermerà a breve."},
             {P::DeclinedTitle, "Il pagamento non è andato a buon fine"},
             {P::DeclinedText, "Non è stato addebitato nulla. Puoi riprovare con un altro metodo di pagamento."},
             {P::TryAgain, "Riprova"},
             {P::UseAnotherCard, "Usa un'altra carta"}}};
}

PageText dutch() {
    return {"nl",
            {{P::SecurePayment, "Veilig betalen"},
             {P::PayTitle, "Rond je betaling aan {{merchant}} af"},
             {P::AmountDue, "Te betalen bedrag"},
             {P::PayButton, "{{amount}} betalen"},
             {P::ContinueToProvider, "Je gaat verder naar onze betaalprovider om veilig te betalen."},
             {P::ValidUntil, "Deze link is geldig tot {{expires}}."},
             {P::UnknownTitle, "Deze link is niet geldig"},
             {P::UnknownText, "Controleer of je de volledige link uit je bericht hebt geopend. Werkt het nog steeds niet, neem dan "
                              "contact op met de verkoper."},
             {P::PaidTitle, "Al betaald"},
             {P::PaidText, "Deze betaling aan {{merchant}} is ontvangen. Bedankt!"},
             {P::ClosedTitle, "Deze betaling is gesloten"},
             {P::ClosedText, "{{merchant}} int deze betaling hier niet meer."},
             {P::ExpiredTitle, "Deze link is verlopen"},
             {P::ExpiredText, "De link is verlopen op {{expires}}. Neem contact op met {{merchant}} voor een nieuwe."},
             {P::UnavailableTitle, "Betalen is op dit moment niet mogelijk"},
             {P::UnavailableText, "{{merchant}} kan deze betaling op dit moment niet aannemen. Probeer het later opnieuw."},
             {P::ProviderDownTitle, "We konden de betaalprovider niet bereiken"},
             {P::ProviderDownRetry, "Er is niets afgeschreven. Ga terug en probeer het zo opnieuw."},
             {P::ProviderDownLater, "Er is niets afgeschreven. Probeer het later opnieuw."},
             {P::ConfirmingTitle, "Bedankt"},
             {P::ConfirmingText, "Je betaling aan {{merchant}} wordt bevestigd. Je hoort het als er nog iets nodig is."},
             {P::ReceivedTitle, "Betaling ontvangen"},
             {P::ReceivedText, "Je betaling aan {{merchant}} is ontvangen. Bedankt!"},
             {P::NotConfirmedTitle, "We konden deze betaling niet bevestigen"},
             {P::NotConfirmedText, "Het antwoord van de betaalprovider kon niet worden gecontroleerd. Als je hebt betaald, bevestigt "
                                   "{{merchant}} dit binnenkort."},
             {P::DeclinedTitle, "De betaling is niet gelukt"},
             {P::DeclinedText, "Er is niets afgeschreven. Je kunt het opnieuw proberen met een andere betaalmethode."},
             {P::TryAgain, "Opnieuw proberen"},
             {P::UseAnotherCard, "Een andere kaart gebruiken"}}};
}

PageText portuguese() {
    return {"pt",
            {{P::SecurePayment, "Pagamento seguro"},
             {P::PayTitle, "Conclua o seu pagamento a {{merchant}}"},
             {P::AmountDue, "Valor a pagar"},
             {P::PayButton, "Pagar {{amount}}"},
             {P::ContinueToProvider, "Será redirecionado para o nosso parceiro de pagamentos para pagar com segurança."},
             {P::ValidUntil, "Este link é válido até {{expires}}."},
             {P::UnknownTitle, "Este link não é válido"},
             {P::UnknownText, "Verifique se abriu o link completo da sua mensagem. Se continuar sem funcionar, fale com o comerciante."},
             {P::PaidTitle, "Já pago"},
             {P::PaidText, "Este pagamento a {{merchant}} foi recebido. Obrigado!"},
             {P::ClosedTitle, "Este pagamento está encerrado"},
             {P::ClosedText, "{{merchant}} deixou de receber este pagamento aqui."},
             {P::ExpiredTitle, "Este link expirou"},
             {P::ExpiredText, "O link expirou em {{expires}}. Fale com {{merchant}} para obter um novo."},
             {P::UnavailableTitle, "O pagamento não está disponível neste momento"},
             {P::UnavailableText, "{{merchant}} não pode aceitar este pagamento neste momento. Tente novamente mais tarde."},
             {P::ProviderDownTitle, "O parceiro de pagamentos não respondeu"},
             {P::ProviderDownRetry, "Nada foi cobrado. Volte atrás e tente novamente daqui a pouco."},
             {P::ProviderDownLater, "Nada foi cobrado. Tente novamente mais tarde."},
             {P::ConfirmingTitle, "Obrigado"},
             {P::ConfirmingText, "O seu pagamento a {{merchant}} aguarda confirmação. {{merchant}} avisará se for preciso mais alguma coisa."},
             {P::ReceivedTitle, "Pagamento recebido"},
             {P::ReceivedText, "O seu pagamento a {{merchant}} foi recebido. Obrigado!"},
             {P::NotConfirmedTitle, "Não foi possível confirmar este pagamento"},
             {P::NotConfirmedText, "Não foi possível verificar a resposta do parceiro de pagamentos. Se já pagou, {{merchant}} irá "
                                   "confirmá-lo em breve."},
             {P::DeclinedTitle, "O pagamento não foi concluído"},
             {P::DeclinedText, "Nada foi cobrado. Pode tentar novamente com outro meio de pagamento."},
             {P::TryAgain, "Tentar novamente"},
             {P::UseAnotherCard, "Usar outro cartão"}}};
}
}  // namespace

const std::vector<PageText>& pageLanguages() {
    static const std::vector<PageText> languages{english(), german(), french(), spanish(), italian(), dutch(), portuguese()};
    return languages;
}

const PageText& pageTextFor(const std::vector<std::string>& preferences) {
    const auto& languages = pageLanguages();
    for (const auto& tag : preferences) {
        auto locale = notify::canonicalLocale(tag);
        if (!locale) continue;
        const std::string language = notify::localeLanguage(*locale);
        for (const auto& text : languages)
            if (text.language == language) return text;
    }
    return languages.front();
}

std::vector<std::string> acceptedLanguages(const std::string& header) {
    // "de-AT,de;q=0.9,*;q=0.5": tags with their weights, most wanted first; q=0 means "not this".
    std::vector<std::pair<double, std::string>> weighted;
    std::size_t start = 0;
    while (start <= header.size()) {
        std::size_t end = header.find(',', start);
        if (end == std::string::npos) end = header.size();
        std::string item = header.substr(start, end - start);
        start = end + 1;
        double q = 1.0;
        if (auto semi = item.find(';'); semi != std::string::npos) {
            auto qAt = item.find("q=", semi);
            if (qAt != std::string::npos) q = std::atof(item.c_str() + qAt + 2);
            item.resize(semi);
        }
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty() && item != "*" && q > 0) weighted.emplace_back(q, item);
    }
    std::stable_sort(weighted.begin(), weighted.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::string> tags;
    for (auto& [q, tag] : weighted) tags.push_back(std::move(tag));
    return tags;
}

std::string say(const PageText& text, Phrase phrase, const std::map<std::string, std::string>& values) {
    return notify::renderTemplate(text.phrases.at(phrase), values, true);
}

}  // namespace tinko::web
